import { mkdir } from 'node:fs/promises';
import { writeFileAtomically } from '../report/atomic-write.js';
import { join } from 'node:path';
import type { Target } from '../targets/target.js';
import { targetResultHeader, type ResultsDocument, type TargetResult } from '../report/results-document.js';
import { redactDeep } from '../report/redact.js';
import { runTarget } from './run-target.js';
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

/** Runs every target, at most `concurrency` at a time; results keep the targets' order. */
export async function runAll(targets: Target[], options: RunOptions, document: ResultsDocument): Promise<ResultsDocument> {
  await mkdir(options.outDir, { recursive: true });
  const results: Array<TargetResult | undefined> = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index];
      const started = performance.now();
      const result = await runTarget(target, options.outDir, options.tags).catch((error) =>
        unassessedTarget(target, error, Math.round(performance.now() - started)),
      );
      results[index] = result;
      document.targets = results.filter((entry): entry is TargetResult => !!entry);
      options.onTargetDone?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, targets.length)) }, worker));
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
