/**
 * `npm run bench`: prints figures, asserts nothing about time.
 * BENCH_ROUNDS (default 3): rounds per tool in the transport comparison.
 * BENCH_SCALE (default 1,10,40): target counts for the scale benchmark.
 * BENCH_MERGE (default 4x50): shards x targets per shard for the merge benchmark; "off" skips it.
 * BENCH_FLEET (default 1,200): target counts for the fleet benchmark (declared targets over four lab servers).
 * BENCH_ONLY (default all): the sections to run, of transport,scale,fleet,merge (e.g. BENCH_ONLY=merge).
 * BENCH_NODES (default none): other Node binaries, separated by commas, to time the whole-process
 *   transport-only and one-target rows under as well (scripts/test-on-node.sh fetches 22 and 24).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { installCleanupOnSignals, stopAllLocalServers } from '../src/lab/local-server.js';
import { benchScale, CLI_DEFAULT_CONCURRENCY } from './scale.js';
import { benchTransportVsPeers } from './transport-vs-peers.js';
import { benchMerge, type MergeShape } from './merge-shards.js';
import { benchFleet } from './fleet.js';

function positiveIntegers(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 1)) throw new Error(`${name} must be positive integers separated by commas; got "${raw}"`);
  return values;
}

const [rounds] = positiveIntegers('BENCH_ROUNDS', [3]);
const targetCounts = positiveIntegers('BENCH_SCALE', [1, 10, 40]);
const fleetCounts = positiveIntegers('BENCH_FLEET', [1, 200]);

function mergeShape(): MergeShape | undefined {
  const raw = process.env.BENCH_MERGE?.trim() || '4x50';
  if (raw === 'off' || raw === '0') return undefined;
  const match = /^(\d+)x(\d+)$/.exec(raw);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) throw new Error(`BENCH_MERGE must be SHARDSxTARGETS (e.g. 4x50) or off; got "${raw}"`);
  return { shards: Number(match[1]), targetsPerShard: Number(match[2]) };
}

const SECTIONS = ['transport', 'scale', 'fleet', 'merge'] as const;
function sections(): Set<string> {
  const raw = process.env.BENCH_ONLY?.trim();
  if (!raw) return new Set(SECTIONS);
  const chosen = raw.split(',').map((part) => part.trim());
  const unknown = chosen.filter((part) => !(SECTIONS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY takes ${SECTIONS.join(', ')}; got "${unknown.join(', ')}"`);
  return new Set(chosen);
}
const merge = mergeShape();
const only = sections();

installCleanupOnSignals();
const started = performance.now();
// Others may share this machine; the load average tells how far to trust the figures.
console.log(
  `dbcomply bench: Node ${process.version}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GB, ` +
    `load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`,
);
const workDir = await mkdtemp(join(tmpdir(), 'dbcomply-bench-'));
try {
  if (only.has('transport')) await benchTransportVsPeers(rounds, workDir);
  if (only.has('scale')) await benchScale(targetCounts, [CLI_DEFAULT_CONCURRENCY, 8], workDir);
  if (only.has('fleet')) await benchFleet(fleetCounts, [CLI_DEFAULT_CONCURRENCY, 8], workDir);
  if (only.has('merge') && merge) await benchMerge(merge, rounds, workDir);
} finally {
  await stopAllLocalServers();
  await rm(workDir, { recursive: true, force: true });
}
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
