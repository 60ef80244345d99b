/**
 * `npm run bench`: prints figures, asserts nothing about time.
 * BENCH_ROUNDS (default 3): rounds per tool in the transport comparison.
 * BENCH_SCALE (default 1,10,40): target counts for the scale benchmark.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { installCleanupOnSignals, stopAllLocalServers } from '../src/lab/local-server.js';
import { benchScale, CLI_DEFAULT_CONCURRENCY } from './scale.js';
import { benchTransportVsPeers } from './transport-vs-peers.js';

function positiveIntegers(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 1)) throw new Error(`${name} must be positive integers separated by commas; got "${raw}"`);
  return values;
}

const [rounds] = positiveIntegers('BENCH_ROUNDS', [3]);
const targetCounts = positiveIntegers('BENCH_SCALE', [1, 10, 40]);

installCleanupOnSignals();
const started = performance.now();
// Others may share this machine; the load average tells how far to trust the figures.
console.log(
  `dbcomply bench: Node ${process.version}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GB, ` +
    `load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`,
);
const workDir = await mkdtemp(join(tmpdir(), 'dbcomply-bench-'));
try {
  await benchTransportVsPeers(rounds, workDir);
  await benchScale(targetCounts, [CLI_DEFAULT_CONCURRENCY, 8], workDir);
} finally {
  await stopAllLocalServers();
  await rm(workDir, { recursive: true, force: true });
}
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
