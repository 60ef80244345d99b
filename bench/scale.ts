/**
 * A full run (no tag filter) against many local targets through runAll, at the CLI's default
 * concurrency and at 8: wall time and the run's peak RSS, next to the product owner's targets.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../src/lab/local-server.js';
import { targetForLocalServer } from '../src/lab/lab-target.js';
import type { Engine } from '../src/targets/target.js';
import { formatMb, formatMs, formatTable } from './format.js';
import type { ScaleRunReport, ScaleRunRequest } from './scale-run.js';

/** The `--concurrency` default of src/cli/main.ts. */
export const CLI_DEFAULT_CONCURRENCY = 4;

/** Hardened and weak alternate, so that every prefix of the list (1, 10, 40 targets) is a mix. */
const CONFIGURATIONS = [
  'hardened',
  'legacy',
  'tls1.0-enabled',
  'weak-cipher',
  'cert-expired',
  'no-forward-secrecy',
  'tls1.3-only',
  'plaintext-allowed',
  'cert-self-signed',
  'no-tls1.3',
];
const ENGINES: Engine[] = ['postgres', 'mysql'];

/** Two cores: more simultaneous initdb/mariadbd starts only queue up behind each other. */
const SERVER_START_CONCURRENCY = 4;

const PRODUCT_TARGETS = {
  oneTargetMs: 2_000,
  fortyTargetsMs: 30_000,
  peakRssBytes: 300 * 1024 ** 2,
};

const met = (value: number, limit: number) => (value < limit ? 'met' : 'MISSED');

async function startServers(count: number): Promise<LocalServer[]> {
  const servers = new Array<LocalServer>(count);
  let next = 0;
  const starter = async () => {
    while (next < count) {
      const index = next++;
      const engine = ENGINES[index % ENGINES.length];
      const configuration = CONFIGURATIONS[Math.floor(index / ENGINES.length) % CONFIGURATIONS.length];
      servers[index] = await startLocalServer(engine, configuration, { mode: 'process' });
    }
  };
  await Promise.all(Array.from({ length: Math.min(SERVER_START_CONCURRENCY, count) }, starter));
  return servers;
}

function runInChild(request: ScaleRunRequest): Promise<{ report: ScaleRunReport; processMs: number }> {
  const started = performance.now();
  const child = fork(new URL('./scale-run.js', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let report: ScaleRunReport | undefined;
  child.once('message', (message) => {
    report = message as ScaleRunReport;
  });
  child.send(request);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (report && code === 0) resolve({ report, processMs: performance.now() - started });
      else reject(new Error(`scale run child ended with ${signal ?? `exit code ${code}`} and ${report ? 'a' : 'no'} report`));
    });
  });
}

const formatVerdicts = (verdicts: Record<string, number>) =>
  ['passed', 'failed', 'undecided', 'skipped'].map((verdict) => `${verdicts[verdict] ?? 0}`).join('/');

/** Requested concurrencies that end up the same for a small run are measured once. */
function distinctConcurrencies(targetCount: number, concurrencies: number[]): Map<number, number[]> {
  const byEffective = new Map<number, number[]>();
  for (const concurrency of concurrencies) {
    const effective = Math.min(concurrency, targetCount);
    byEffective.set(effective, [...(byEffective.get(effective) ?? []), concurrency]);
  }
  return byEffective;
}

export async function benchScale(targetCounts: number[], concurrencies: number[], workDir: string): Promise<void> {
  console.log(`\n## Scale: full run (every scenario, no tag filter) through runAll`);
  const serverCount = Math.max(...targetCounts);
  const startedServers = performance.now();
  const servers = await startServers(serverCount);
  const mix = ENGINES.map((engine) => `${servers.filter((server) => server.engine === engine).length} ${engine === 'mysql' ? 'MariaDB' : 'PostgreSQL'}`);
  console.log(
    `${serverCount} servers (${mix.join(', ')}; configurations ${CONFIGURATIONS.slice(0, Math.ceil(serverCount / ENGINES.length)).join(', ')}) ` +
      `started ${SERVER_START_CONCURRENCY} at a time in ${formatMs(performance.now() - startedServers)}, before any timing below.\n` +
      `Each row is one runAll in a fresh Node process: "runAll" includes loading the spec, "process" adds Node start-up and imports (the product targets are judged on it).\n` +
      `RSS is the benchmark child's own (servers excluded): sampled every 50 ms, and the kernel's maxRSS for the process.`,
  );
  const targets = servers.map((server, index) => targetForLocalServer(`scale-${index + 1}-${server.engine}-${server.configuration.name}`, server, 'baseline'));
  const passwords = Object.fromEntries(servers.map((server, index) => [targets[index].name, server.password]));
  const accountPasswords = Object.fromEntries(
    servers.map((server, index) => [
      targets[index].name,
      server.accounts ? { [server.accounts.auditor.user]: server.accounts.auditor.password, [server.accounts.masked.role]: server.accounts.masked.password } : {},
    ]),
  );
  const rows: string[][] = [];
  for (const count of targetCounts) {
    for (const [effective, requested] of distinctConcurrencies(count, concurrencies)) {
      const outDir = await mkdtemp(join(workDir, `scale-${count}-`));
      const chosen = targets.slice(0, count);
      const { report, processMs } = await runInChild({
        targets: chosen,
        passwords: Object.fromEntries(chosen.map((target) => [target.name, passwords[target.name]])),
        accountPasswords: Object.fromEntries(chosen.map((target) => [target.name, accountPasswords[target.name]])),
        concurrency: effective,
        outDir,
      });
      await rm(outDir, { recursive: true, force: true });
      const peakRss = Math.max(report.peakSampledRssBytes, report.maxRssBytes);
      const timeTarget =
        count === 1 ? `< 2 s: ${met(processMs, PRODUCT_TARGETS.oneTargetMs)}` : count === 40 ? `< 30 s: ${met(processMs, PRODUCT_TARGETS.fortyTargetsMs)}` : '';
      rows.push([
        String(count),
        requested.join('/') + (requested.some((concurrency) => concurrency !== effective) ? ` (${effective} used)` : ''),
        formatMs(report.runAllMs),
        formatMs(processMs),
        formatMs(processMs / count),
        timeTarget,
        formatMb(report.peakSampledRssBytes),
        formatMb(report.maxRssBytes),
        `< 300 MB: ${met(peakRss, PRODUCT_TARGETS.peakRssBytes)}`,
        formatVerdicts(report.verdicts) + (report.crashedTargets > 0 ? `, ${report.crashedTargets} targets crashed` : ''),
      ]);
    }
  }
  console.log(
    `\n${formatTable(['targets', 'concurrency', 'runAll', 'process', 'per target', 'time target', 'peak RSS (sampled)', 'maxRSS', 'RSS target', 'controls passed/failed/undecided/skipped'], rows)}`,
  );
  await Promise.all(servers.map((server) => server.stop()));
}
