import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { complianceMatrix } from '../../src/report/compliance-matrix.js';
import { matrixHtml } from '../../src/report/matrix-html.js';
import { writeOverviewHtml } from '../../src/report/overview-html.js';
import type { ResultsDocument, TargetResult } from '../../src/report/results-document.js';
import type { Verdict } from '../../src/controls/verdict.js';

function target(name: string, controls: Record<string, Verdict>, extra: Partial<TargetResult> = {}): TargetResult {
  return {
    name, engine: 'postgres', endpoint: '127.0.0.1:5432', profile: 'baseline', server: {}, controls,
    reasons: Object.fromEntries(Object.entries(controls).map(([id, verdict]) => [id, `${name} ${id} ${verdict}`])),
    scenarios: [], reports: { html: `${name}/report.html`, junit: `${name}/junit.xml`, messages: `${name}/messages.ndjson` }, durationMs: 1, ...extra,
  };
}

const document: ResultsDocument = {
  tool: { name: 'dbcomply', version: '0.0.0' }, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z', complete: true,
  targets: [
    target('zeta', { 'access.public-schema': 'failed', 'transport.tls1.3': 'passed', 'auth.scram': 'undecided' }, { trend: { 'access.public-schema': 'new-failure' } }),
    target('alpha', { 'transport.tls1.3': 'failed', 'transport.no-tls1.0': 'passed', 'auth.scram': 'skipped' }),
  ],
};

test('the matrix groups columns by area in catalogue order with their MCSB families, and counts both ways', () => {
  const matrix = complianceMatrix(document);
  assert.deepEqual(matrix.areas.map((area) => [area.area, area.mcsbFamilies, area.columns.map((column) => column.id)]), [
    ['transport', ['DP-3'], ['transport.no-tls1.0', 'transport.tls1.3']],
    ['auth', ['IM-1'], ['auth.scram']],
    ['access', ['PA-7'], ['access.public-schema']],
  ]);
  assert.deepEqual(matrix.rows.map((row) => [row.target.name, row.counts]), [
    ['zeta', { passed: 1, failed: 1, undecided: 1, skipped: 0 }],
    ['alpha', { passed: 1, failed: 1, undecided: 0, skipped: 1 }],
  ]);
  assert.deepEqual(matrix.controlCounts['transport.tls1.3'], { passed: 1, failed: 1, undecided: 0, skipped: 0 });
  assert.equal(matrix.rows[1].cells['access.public-schema'].verdict, undefined, 'a control a target did not run is an empty cell, not a pass');
  assert.equal(matrix.rows[0].cells['access.public-schema'].trend, 'new-failure');
});

test('each cell states its verdict in words and colour, opens the target report on that control\'s scenarios and carries the reason', () => {
  const html = matrixHtml(complianceMatrix(document));
  assert.match(html, /<td class="v-failed t-new-failure" data-col="access\.public-schema" data-v="failed" data-trend="new-failure" title="access\.public-schema: failed \(new failure\) - zeta access\.public-schema failed"><a href="zeta\/report\.html\?query=%40control%3Aaccess\.public-schema">failed<span class="trend">new failure<\/span><\/a><\/td>/);
  assert.match(html, /<td class="v-none" data-col="access\.public-schema" data-v="" data-trend="" title="access\.public-schema: not run on this target">-<\/td>/);
  assert.match(html, /transport <small>\(DP-3\)<\/small>/);
});

test('report.html is one file: no external script, style, image or font', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbcomply-matrix-'));
  const html = readFileSync(await writeOverviewHtml(dir, document), 'utf8');
  assert.doesNotMatch(html, /<(script|img|link|iframe)[^>]+(src|href)=/i);
  assert.doesNotMatch(html, /url\(|@import|https?:\/\//);
  assert.match(html, /<section id="matrix">/);
});

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

test('in a real browser, offline: filter rows, hide passing columns and sort by name', { skip: chromium ? false : 'chromium is not installed (apt-get install chromium)' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbcomply-matrix-'));
  const page = await writeOverviewHtml(dir, {
    ...document,
    targets: [...document.targets, target('mid', { 'transport.tls1.3': 'passed', 'transport.no-tls1.0': 'passed', 'auth.scram': 'passed', 'access.public-schema': 'passed' })],
  });
  const probe = join(dir, 'probe.html');
  writeFileSync(probe, readFileSync(page, 'utf8') + `<script>
var rows=document.getElementById('filter-rows');rows.value='failing';rows.dispatchEvent(new Event('change'));
var cols=document.getElementById('filter-columns');cols.checked=true;cols.dispatchEvent(new Event('change'));
document.querySelector('th[data-sort="name"]').click();
document.body.setAttribute('data-probe',Array.from(document.querySelectorAll('#matrix-table tbody tr')).map(function(r){return r.dataset.name+(r.classList.contains('hidden')?'-hidden':'')}).join(',')+'|'+Array.from(document.querySelectorAll('#matrix-table thead th.control:not(.hidden)[data-col]')).map(function(th){return th.dataset.col}).join(','));
</script>`);
  const dom = execFileSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${probe}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
  assert.match(dom, /data-probe="alpha,mid-hidden,zeta\|transport\.tls1\.3,auth\.scram,access\.public-schema"/);
});
