import { writeFile } from 'node:fs/promises';
import type { Envelope } from '@cucumber/messages';
import { redact, redactDeep } from './redact.js';
import { escapeHtml } from './matrix-html.js';
import type { TargetResult } from './results-document.js';
import type { Verdict } from '../controls/verdict.js';


const loadReportLibraries = () => Promise.all([import('@cucumber/html-formatter'), import('@cucumber/junit-xml-formatter')]);
let libraries: ReturnType<typeof loadReportLibraries> | undefined;

/**
 * Cucumber's HTML and JUnit libraries, loaded once, not at start-up: the runner asks for them while
 * the first target's probes are out (a tenth of a second of loading on Node 20), so the first
 * report does not wait for them. A failure to load surfaces when a report is written.
 */
export function reportLibraries(): ReturnType<typeof loadReportLibraries> {
  libraries ??= loadReportLibraries();
  return libraries;
}

/**
 * A target's three Cucumber reports (HTML, JUnit, message stream), written from its envelopes
 * after they passed the redaction gate, by Cucumber's own HTML and JUnit libraries.
 *
 * Why not Cucumber's file formatters: they write what they are given, so every file had to be
 * read back, searched for every secret and rewritten, and the HTML once more to label it; over a
 * fleet that was most of the harness's own work. Here each envelope is redacted once, as data,
 * and each file is written once.
 */
export class CucumberReports {
  private envelopes: Envelope[] = [];

  accept(envelope: Envelope): void {
    this.envelopes.push(envelope);
  }

  /** Writes report.html, junit.xml and messages.ndjson to the paths given (absolute). */
  async write(
    paths: { html: string; junit: string; messages: string },
    label: { result: TargetResult; toolVersion: string; scenarioOutcomes?: ReadonlyMap<string, { verdict: Verdict; reason?: string }> },
  ): Promise<void> {
    // Redacted now, not as they arrived: by the end of the run every secret it learnt is known.
    this.envelopes = this.envelopes.map((envelope) => (isSpecText(envelope) ? envelope : redactDeep(withDecodedAttachment(envelope))));
    const [{ CucumberHtmlStream }, { JUnitXmlPrinter }] = await reportLibraries();
    await Promise.all([
      writeFile(paths.messages, this.envelopes.map((envelope) => JSON.stringify(envelope)).join('\n') + (this.envelopes.length > 0 ? '\n' : '')),
      writeFile(paths.junit, this.junitXml(JUnitXmlPrinter, `dbcomply ${label.result.name}`, label.scenarioOutcomes)),
      this.html(CucumberHtmlStream, label.result, label.toolVersion).then((html) => writeFile(paths.html, html)),
    ]);
  }

  private junitXml(Printer: typeof import('@cucumber/junit-xml-formatter').JUnitXmlPrinter, suiteName: string, outcomes?: ReadonlyMap<string, { verdict: Verdict; reason?: string }>): string {
    let xml = '';
    const printer = new Printer({ suiteName }, (content) => {
      xml += content;
    });
    const stated = outcomes ? withScenarioVerdicts(this.envelopes, outcomes) : this.envelopes;
    for (const envelope of stated) printer.update(withoutTypeInMessage(envelope));
    return xml;
  }

  private html(HtmlStream: typeof import('@cucumber/html-formatter').CucumberHtmlStream, result: TargetResult, toolVersion: string): Promise<string> {
    const stream = new HtmlStream();
    const chunks: string[] = [];
    // Only the page's head is labelled: replacing in the whole page copied over a megabyte twice per target.
    let head: string | undefined = '';
    stream.on('data', (chunk: string | Buffer) => {
      if (head === undefined) {
        chunks.push(chunk.toString());
        return;
      }
      head += chunk.toString();
      if (head.includes('<body>')) {
        chunks.push(labelled(head, result, toolVersion));
        head = undefined;
      }
    });
    return new Promise((resolve, reject) => {
      stream.once('error', reject);
      stream.once('end', () => resolve(chunks.join('') + (head ?? '')));
      for (const envelope of this.envelopes) stream.write(envelope);
      stream.end();
    });
  }
}

/**
 * The spec's own text (feature sources, their parsed form, the scenarios compiled from them) is the
 * same in every run and holds nothing the run learnt, so it skips the redaction gate; everything
 * else (attachments, step results and errors, environment facts) passes it.
 */
function isSpecText(envelope: Envelope): boolean {
  return envelope.source !== undefined || envelope.gherkinDocument !== undefined || envelope.pickle !== undefined;
}

/**
 * A base64 attachment would carry a secret past the gate unseen: it is decoded, so that the gate
 * reads it, and kept as text. (The harness attaches only text; this guards what may come.)
 */
function withDecodedAttachment(envelope: Envelope): Envelope {
  const attachment = envelope.attachment;
  if (!attachment || attachment.contentEncoding !== 'BASE64') return envelope;
  return { ...envelope, attachment: { ...attachment, body: Buffer.from(attachment.body, 'base64').toString('utf8'), contentEncoding: 'IDENTITY' as typeof attachment.contentEncoding } };
}

/**
 * Cucumber's HTML report knows nothing of the target, so a page saved on its own would not say
 * which server it judged: a static banner and title go in front of Cucumber's own page.
 */
function labelled(html: string, result: TargetResult, toolVersion: string): string {
  // Each fact passes the gate before it is escaped: escaping first would hide a secret with & < > " ' in it.
  const shown = (text: string) => escapeHtml(redact(text));
  const server = result.server.version ? `, server ${result.server.version}` : '';
  const facts = `dbcomply ${shown(toolVersion)} · target <b>${shown(result.name)}</b>: ${shown(result.engine)} at ${shown(result.endpoint)}${shown(server)} · profile <b>${shown(result.profile)}</b>${result.origin ? ` · ${shown(result.origin)}` : ''}`;
  const banner = `<div style="font-family:system-ui,sans-serif;padding:.6rem 1rem;background:#f6f8fa;border-bottom:1px solid #d0d7de">${facts}</div>`;
  return html.replace('<title>Cucumber</title>', `<title>dbcomply: ${shown(result.name)}</title>`).replace('<body>', `<body>${banner}`);
}

const JUNIT_TYPE: Partial<Record<Verdict, string>> = { failed: 'AssertionError', undecided: 'UndecidedError' };
const NOT_RUN = new Set(['PASSED', 'SKIPPED']);

/**
 * For JUnit only: each failed or undecided test case states its scenario's verdict and reason,
 * the ones results.json, the CSV and OSCAL give the control. Cucumber's printer takes the message
 * of one failing step, which named one point of a requirement list where the control's reason
 * named them all; a scenario undecided with no step that failed (nothing decided it) would show
 * as passed. The failing steps (or, without one, the last step) carry the verdict's type and the
 * reason; the HTML report and message stream keep every step as it ran.
 */
function withScenarioVerdicts(envelopes: Envelope[], outcomes: ReadonlyMap<string, { verdict: Verdict; reason?: string }>): Envelope[] {
  const lastStep = new Map<string, number>();
  const failing = new Set<string>();
  envelopes.forEach((envelope, index) => {
    const finished = envelope.testStepFinished;
    if (!finished) return;
    lastStep.set(finished.testCaseStartedId, index);
    if (!NOT_RUN.has(finished.testStepResult.status)) failing.add(finished.testCaseStartedId);
  });
  return envelopes.map((envelope, index) => {
    const finished = envelope.testStepFinished;
    const outcome = finished && outcomes.get(finished.testCaseStartedId);
    const type = outcome && JUNIT_TYPE[outcome.verdict];
    if (!finished || !outcome || !type) return envelope;
    const stating = failing.has(finished.testCaseStartedId) ? !NOT_RUN.has(finished.testStepResult.status) : lastStep.get(finished.testCaseStartedId) === index;
    if (!stating) return envelope;
    const message = redact(outcome.reason ?? outcome.verdict);
    return {
      ...envelope,
      testStepFinished: { ...finished, testStepResult: { ...finished.testStepResult, status: 'FAILED' as typeof finished.testStepResult.status, message, exception: { type, message } } },
    };
  });
}

/**
 * The step's error carries its verdict's name in the message (the world sets no stack, see
 * ComplianceWorld.record); JUnit has a \`type\` attribute for it, so there the message is the reason alone.
 */
function withoutTypeInMessage(envelope: Envelope): Envelope {
  const result = envelope.testStepFinished?.testStepResult;
  const exception = result?.exception;
  // The type is the class (UndecidedError), the message's prefix its name (Undecided).
  const prefix = [exception?.type, exception?.type?.replace(/Error$/, '')].map((name) => `${name}: `).find((candidate) => exception?.message?.startsWith(candidate));
  if (!exception?.message || !prefix) return envelope;
  const message = exception.message.slice(prefix.length);
  return { ...envelope, testStepFinished: { ...envelope.testStepFinished!, testStepResult: { ...result!, exception: { ...exception, message } } } };
}
