/**
 * Child process of bench/scale.ts: one runAll in a process of its own, so that the RSS figures
 * (maxRSS above all, which only ever grows) belong to that run and nothing else.
 */
import { newResultsDocument, runAll } from '../src/runner/run-all.js';
import { rememberAccountPassword, rememberPassword } from '../src/targets/secret-store.js';
import type { Target } from '../src/targets/target.js';

export interface ScaleRunRequest {
  targets: Target[];
  /** Target name -> password, for the secret store of this process. */
  passwords: Record<string, string>;
  /** Target name -> account -> password (auditor, masked role). */
  accountPasswords: Record<string, Record<string, string>>;
  concurrency: number;
  outDir: string;
}

export interface ScaleRunReport {
  runAllMs: number;
  peakSampledRssBytes: number;
  maxRssBytes: number;
  /** Verdict -> how many controls got it, over all targets. */
  verdicts: Record<string, number>;
  crashedTargets: number;
}

const RSS_SAMPLE_INTERVAL_MS = 50;

async function runRequest(request: ScaleRunRequest): Promise<ScaleRunReport> {
  for (const [name, password] of Object.entries(request.passwords)) rememberPassword(name, password);
  for (const [name, accounts] of Object.entries(request.accountPasswords)) {
    for (const [user, password] of Object.entries(accounts)) rememberAccountPassword(name, user, password);
  }
  let peakSampledRssBytes = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakSampledRssBytes = Math.max(peakSampledRssBytes, process.memoryUsage().rss);
  }, RSS_SAMPLE_INTERVAL_MS);
  const started = performance.now();
  const document = await runAll(request.targets, { outDir: request.outDir, concurrency: request.concurrency }, newResultsDocument());
  const runAllMs = performance.now() - started;
  clearInterval(sampler);
  peakSampledRssBytes = Math.max(peakSampledRssBytes, process.memoryUsage().rss);
  const verdicts: Record<string, number> = {};
  for (const target of document.targets) {
    for (const verdict of Object.values(target.controls)) verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
  }
  return {
    runAllMs,
    peakSampledRssBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    verdicts,
    crashedTargets: document.targets.filter((target) => target.error !== undefined).length,
  };
}

process.once('message', (request: ScaleRunRequest) => {
  void runRequest(request).then((report) => process.send!(report, () => process.exit(0)));
});
