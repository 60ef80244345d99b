import { join } from 'node:path';
import type { Verdict } from '../controls/verdict.js';
import type { ResultsDocument } from './results-document.js';
import { redactDeep } from './redact.js';
import { writeFileAtomically } from './atomic-write.js';
import { findControl } from '../controls/catalogue.js';
import { complianceMatrix } from './compliance-matrix.js';
import { escapeHtml as escape, matrixHtml, MATRIX_STYLE } from './matrix-html.js';
import { TREND_LABELS } from './trend.js';

const COLOURS: Record<Verdict, string> = { passed: '#1a7f37', failed: '#cf222e', undecided: '#9a6700', skipped: '#57606a' };

function badge(verdict: Verdict): string {
  return `<span class="badge" style="background:${COLOURS[verdict]}">${verdict}</span>`;
}

/**
 * report.html at the top of the output directory: first the matrix (targets x controls), then per
 * target every control's verdict with the reason, linking to each target's Cucumber report where
 * the evidence is attached. One self-contained file (inline style and script, no external asset),
 * so it opens offline from an archive.
 */
export async function writeOverviewHtml(outDir: string, results: ResultsDocument): Promise<string> {
  const document = redactDeep(results);
  const sections = document.targets.map((target) => {
    const rows = Object.entries(target.controls)
      .map(
        ([id, verdict]) =>
          `<tr><td><code>${escape(id)}</code><br><small>${escape(findControl(id)?.mcsb ?? '')} · passes when ${escape(findControl(id)?.passesWhen ?? '?')}</small></td><td>${badge(verdict)}${target.trend?.[id] ? `<br><small><b>${TREND_LABELS[target.trend[id]]}</b></small>` : ''}</td><td>${escape(target.reasons[id] ?? '')}</td></tr>`,
      )
      .join('\n');
    const server = target.server.version ? `${escape(target.server.version)} <small>(${escape(target.server.versionSource ?? '')})</small>` : 'unknown';
    return `<section id="target-${escape(target.name)}">
<h2>${escape(target.name)}</h2>
<p>${escape(target.engine)} at <code>${escape(target.endpoint)}</code> · server ${server} · profile <b>${escape(target.profile)}</b>${target.origin ? ` · ${escape(target.origin)}` : ''} · ${target.durationMs} ms</p>
${target.error ? `<p class="error">Could not be assessed: ${escape(target.error)}</p>` : ''}
${target.unreachable ? `<p class="error">Could not be reached: ${escape(target.unreachable)}</p>` : ''}
${target.server.loginProblem ? `<p class="error">${escape(target.server.loginProblem)}</p>` : ''}
${configurationTable(target)}
<p><a href="${escape(target.reports.html)}">Scenarios with evidence (Cucumber report)</a> · <a href="${escape(target.reports.junit)}">JUnit</a> · <a href="${escape(target.reports.messages)}">messages</a></p>
<table><thead><tr><th>Control</th><th>Verdict</th><th>Reason</th></tr></thead><tbody>
${rows}
</tbody></table>
</section>`;
  });
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dbcomply report ${escape(document.startedAt)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2328}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
.badge{color:#fff;border-radius:.8rem;padding:.1rem .55rem;font-size:.85em}.error{color:#cf222e;font-weight:bold}
code{font-size:.9em}
${MATRIX_STYLE}
</style></head><body>
<h1>dbcomply compliance report</h1>
<p>dbcomply ${escape(document.tool.version)} · started ${escape(document.startedAt)} · finished ${escape(document.finishedAt)}${document.complete ? '' : ' · <b class="error">INCOMPLETE RUN</b>'}</p>
<p>A control is <b>undecided</b> when the harness could not observe enough to judge it (timeout, refused login, missing permission); undecided is never a pass.</p>
${matrixHtml(complianceMatrix(document))}
<h2>Targets</h2>
${sections.join('\n')}
</body></html>
`;
  const path = join(outDir, 'report.html');
  await writeFileAtomically(path, html);
  return path;
}

/** Azure's configuration beside the server's behaviour, row by row; disagreements marked. */
function configurationTable(target: ResultsDocument['targets'][number]): string {
  const comparison = target.configurationVsBehaviour;
  if (!comparison) return '';
  if ('problem' in comparison) return `<p class="error">Azure configuration not compared with behaviour: ${escape(comparison.problem)}</p>`;
  const rows = comparison.rows
    .map((row) => `<tr><td>${escape(row.aspect)}</td><td>${escape(row.configured)}</td><td>${escape(row.observed)}</td><td>${row.notInEffect ? `not in force: ${escape(row.notInEffect)}` : row.agrees === undefined ? 'not compared' : row.agrees ? 'agree' : `<b class="error">DISAGREE</b>${row.finding ? `: ${escape(row.finding)}` : ''}`}</td></tr>`)
    .join('\n');
  return `<h3>Azure configuration against behaviour (${comparison.disagreements} disagreement${comparison.disagreements === 1 ? '' : 's'})</h3>
<table><thead><tr><th>Aspect</th><th>Azure Resource Manager says</th><th>The server did</th><th></th></tr></thead><tbody>
${rows}
</tbody></table>`;
}
