import { mkdir } from 'node:fs/promises';
import { writeFileAtomically } from '../report/atomic-write.js';
import { join } from 'node:path';
import type { Target } from '../targets/target.js';
import { targetResultHeader, type ResultsDocument, type TargetResult } from '../report/results-document.js';
import { redactDeep } from '../report/redact.js';
import { runTarget, startObservingTarget } from './run-target.js';
import { Limiter } from '../util/limiter.js';
import { releaseContext } from '../probes/target-contexts.js';
import { TOOL_VERSION } from './tool-version.js';

export interface RunOptions {
  outDir: string;
  tags?: string;
  concurrency: number;
  /** Called as each target finishes, for live terminal output. */
  onTargetDone?: (result: TargetResult) => void;
}

/** A target whose run threw, or never finished, is reported, not lost: it has no verdicts and makes the run fail. */
export function unassessedTarget(target: Target, error: unknown, durationMs = 0): TargetResult {
  return {
    ...targetResultHeader(target),
    server: {},
    controls: {},
    reasons: {},
    scenarios: [],
    durationMs,
    error: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Cucumber runs (judging and writing a target's reports) at once: they are work for the processor,
 * not waits, and this machine's kind has two cores.
 */
const REPORTING_SLOTS = 2;

/**
 * Runs every target; results keep the targets' order. At most `concurrency` targets are observed
 * at once (their probes, and their waits for log lines or delayed logins); an observed target then
 * waits for one of REPORTING_SLOTS to be judged and reported, keeping its observing slot until it
 * has one, so that observed targets (and their open sessions) never pile up behind the reports.
 * A target that finds a reporting slot free when its probes start takes it at once and is judged
 * as its observations come in.
 */
export async function runAll(targets: Target[], options: RunOptions, document: ResultsDocument): Promise<ResultsDocument> {
  await mkdir(options.outDir, { recursive: true });
  const results: Array<TargetResult | undefined> = new Array(targets.length);
  const observing = new Limiter(Math.max(1, options.concurrency));
  const reporting = new Limiter(Math.min(REPORTING_SLOTS, Math.max(1, options.concurrency)));
  const assess = async (target: Target): Promise<TargetResult> => {
    const releaseObserving = await observing.acquire();
    const started = performance.now();
    // A target's duration is its own work: the wait for a reporting slot is not counted.
    let queuedMs = 0;
    const elapsed = () => Math.round(performance.now() - started - queuedMs);
    let releaseReporting: (() => void) | undefined;
    try {
      const { observed } = await startObservingTarget(target, options.tags);
      // A free reporting slot judges beside the probes (a short run then ends when its last probe
      // does, not a Cucumber run later); otherwise the target is observed first and waits for one.
      releaseReporting = reporting.tryAcquire();
      if (!releaseReporting) {
        await observed;
        const queued = performance.now();
        releaseReporting = await reporting.acquire();
        queuedMs = performance.now() - queued;
        releaseObserving();
      }
      const result = await runTarget(target, options.outDir, options.tags, observed);
      return { ...result, durationMs: elapsed() };
    } catch (error) {
      await releaseContext(target.name).catch(() => undefined);
      return unassessedTarget(target, error, elapsed());
    } finally {
      releaseReporting?.();
      releaseObserving();
    }
  };
  await Promise.all(
    targets.map(async (target, index) => {
      const result = await assess(target);
      results[index] = result;
      document.targets = results.filter((entry): entry is TargetResult => !!entry);
      options.onTargetDone?.(result);
    }),
  );
  document.complete = document.complete && results.every((result) => result && !result.error);
  document.finishedAt = new Date().toISOString();
  return document;
}

export function newResultsDocument(): ResultsDocument {
  return { tool: { name: 'dbcomply', version: TOOL_VERSION }, startedAt: new Date().toISOString(), finishedAt: '', complete: true, targets: [] };
}

export async function writeResults(outDir: string, document: ResultsDocument): Promise<string> {
  const path = join(outDir, 'results.json');
  await writeFileAtomically(path, JSON.stringify(redactDeep(document), null, 2) + '\n');
  return path;
}
