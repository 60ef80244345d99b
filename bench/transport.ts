/**
 * `npm run bench`: how long a complete transport verdict for one local server takes, next to
 * sslscan on the same server. Prints medians over several rounds; asserts nothing about time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../src/fixtures/local-server.js';
import { targetForLocalServer } from '../src/cli/demo-targets.js';
import { runTarget } from '../src/runner/run-target.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timeSslscan(starttls: string, port: number): number | string {
  const probe = spawnSync('sslscan', ['--version'], { encoding: 'utf8' });
  if (probe.error) return 'sslscan not installed';
  const started = performance.now();
  const result = spawnSync('sslscan', ['--no-colour', starttls, `127.0.0.1:${port}`], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) return `sslscan failed: ${(result.stderr || result.stdout).trim().split('\n').at(-1)}`;
  return performance.now() - started;
}

async function benchEngine(engine: 'postgres' | 'mysql', starttls: string): Promise<void> {
  const server = await startLocalServer(engine, 'hardened');
  const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-bench-'));
  const ours: number[] = [];
  const theirs: number[] = [];
  let note = '';
  for (let round = 0; round < ROUNDS; round++) {
    const target = targetForLocalServer(`bench-${engine}-${round}`, server, 'baseline');
    const started = performance.now();
    const result = await runTarget(target, outDir, '@area:transport');
    ours.push(performance.now() - started);
    const undecided = Object.entries(result.controls).filter(([, verdict]) => verdict !== 'passed' && verdict !== 'skipped');
    if (undecided.length > 0) note = ` (not all passed: ${undecided.map(([id, v]) => `${id}=${v}`).join(', ')})`;
    const sslscan = timeSslscan(starttls, server.port);
    if (typeof sslscan === 'number') theirs.push(sslscan);
    else note ||= ` (${sslscan})`;
  }
  const oursMs = median(ours);
  const line = [`${engine.padEnd(8)} ${server.serverVersion.padEnd(28)}`, `dbcomply transport verdict: ${oursMs.toFixed(0).padStart(5)} ms`];
  if (theirs.length > 0) line.push(`sslscan: ${median(theirs).toFixed(0).padStart(5)} ms`, `ratio ${(oursMs / median(theirs)).toFixed(2)}`);
  console.log(line.join('   ') + note);
  await server.stop();
  await rm(outDir, { recursive: true, force: true });
}

console.log(`median of ${ROUNDS} rounds; dbcomply = full Cucumber run of every transport scenario, reports written`);
try {
  await benchEngine('postgres', '--starttls-psql');
  await benchEngine('mysql', '--starttls-mysql');
} finally {
  await stopAllLocalServers();
}
