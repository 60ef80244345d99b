/**
 * A fleet run as a user runs it: `dbcomply run --config fleet.yaml` over N declared targets, as one
 * whole process, every data-plane scenario (no tag filter).
 *
 * The fleet is cheap but real: a few lab servers (PostgreSQL and MariaDB, hardened and legacy),
 * each declared under many names, the way a config file declares servers: URL, password from the
 * environment, auditor, masked role, workload accounts and the server's log file. They are
 * declared targets, not lab targets, so the lab-only restore drill is not among the controls (the
 * scale section's lab targets run it). Every name is assessed in full; nothing is shared between
 * names but the server.
 *
 * The hardened MariaDB of the fleet runs without its lockout policy: every name makes one wrong
 * password login as the shared application account (auth.wrong-password-rejected), and with fifty
 * names on one server three in a row would lock it for the rest. PostgreSQL's hardened auth_delay
 * (each failed login answered after 500 ms) is kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startLocalServer, type LocalServer } from '../src/lab/local-server.js';
import type { ResultsDocument } from '../src/report/results-document.js';
import { dbcomply, GNU_TIME, nodeBinaries } from './cli-process.js';
import { formatMb, formatMs, formatTable } from './format.js';
import { floorMs, measureMachinePrices } from './machine-floor.js';

export const FLEET_SERVERS: Array<{ engine: 'postgres' | 'mysql'; configuration: string }> = [
  { engine: 'postgres', configuration: 'hardened' },
  { engine: 'mysql', configuration: 'no-lockout-policy' },
  { engine: 'postgres', configuration: 'legacy' },
  { engine: 'mysql', configuration: 'legacy' },
];

export const FLEET_TARGETS = {
  oneTargetMs: 1_000,
  wallMs: 60_000,
  peakRssBytes: 400 * 1024 ** 2,
};

const met = (value: number, limit: number) => (value < limit ? 'met' : 'MISSED');

/** CPU time of every PostgreSQL and MariaDB process now (a postmaster's includes its ended backends). */
function serverCpuMs(): number {
  const ticksPerSecond = 100;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (command !== 'postgres' && command !== 'mariadbd') continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return (ticks * 1000) / ticksPerSecond;
}

export function declaration(name: string, server: LocalServer, envPrefix: string): Record<string, unknown> {
  const accounts = server.accounts;
  return {
    name,
    url: `${server.engine === 'mysql' ? 'mysql' : 'postgres'}://${server.user}@${server.host}:${server.port}/${server.database}`,
    passwordEnv: `${envPrefix}_PASSWORD`,
    caFile: server.caFile,
    ...(accounts
      ? {
          auditor: { user: accounts.auditor.user, passwordEnv: `${envPrefix}_AUDITOR_PASSWORD` },
          masking: { role: accounts.masked.role, passwordEnv: `${envPrefix}_MASKED_PASSWORD`, columns: accounts.masked.columns },
          allow: { workload: accounts.workload },
        }
      : {}),
    ...(server.logFiles?.length ? { logs: { files: server.logFiles, wait: 5000 } } : {}),
  };
}

export async function benchFleet(targetCounts: number[], concurrencies: number[], workDir: string): Promise<void> {
  console.log(`\n## Fleet: \`dbcomply run --config\` over declared targets, as one whole process`);
  const nodes = nodeBinaries();
  const startedServers = performance.now();
  const servers = await Promise.all(FLEET_SERVERS.map(({ engine, configuration }) => startLocalServer(engine, configuration, { mode: 'process' })));
  const env: NodeJS.ProcessEnv = { ...process.env };
  servers.forEach((server, index) => {
    env[`FLEET_${index}_PASSWORD`] = server.password;
    if (server.accounts) {
      env[`FLEET_${index}_AUDITOR_PASSWORD`] = server.accounts.auditor.password;
      env[`FLEET_${index}_MASKED_PASSWORD`] = server.accounts.masked.password;
    }
  });
  console.log(
    `${servers.length} lab servers (${FLEET_SERVERS.map(({ engine, configuration }) => `${engine === 'mysql' ? 'MariaDB' : 'PostgreSQL'} ${configuration}`).join(', ')}) ` +
      `started in ${formatMs(performance.now() - startedServers)}; target i is server i mod ${servers.length} under its own name, declared in a config file ` +
      `(URL, passwords from the environment, auditor, masked role, workload accounts, log file). Declared targets, so the lab-only restore drill does not run.\n` +
      `Each row is one \`dbcomply run --config\` process under ${GNU_TIME} -v: wall time, its CPU, its peak RSS; "servers" is the CPU the database servers spent meanwhile.`,
  );
  const prices = await measureMachinePrices(servers[0], serverCpuMs);
  console.log(
    `This machine's prices today: spawning a process ${formatMs(prices.processMs)}; one PostgreSQL startup (a backend forked, refused, gone) ` +
      `${formatMs(prices.postgresStartupServerCpuMs)} of server CPU and ${formatMs(prices.postgresStartupHarnessCpuMs)} of harness CPU. ` +
      `"floor" is (dbcomply CPU + servers CPU) / ${prices.cores} cores: no schedule of that work on this machine ends sooner.`,
  );
  const rows: string[][] = [];
  for (const count of targetCounts) {
    const config = join(workDir, `fleet-${count}.yaml`);
    const targets = Array.from({ length: count }, (_, index) => {
      const serverIndex = index % servers.length;
      const { engine, configuration } = FLEET_SERVERS[serverIndex];
      return declaration(`fleet-${String(index + 1).padStart(3, '0')}-${engine === 'mysql' ? 'mariadb' : 'pg'}-${configuration}`, servers[serverIndex], `FLEET_${serverIndex}`);
    });
    await writeFile(config, stringify({ profile: 'baseline', targets }));
    // One target is also timed under each other Node that BENCH_NODES names (users run 22 and 24).
    const runs = [
      ...concurrencies.map((concurrency) => ({ concurrency, node: nodes[0] })),
      ...(count === 1 ? nodes.slice(1).map((node) => ({ concurrency: concurrencies[0], node })) : []),
    ];
    for (const { concurrency, node } of runs) {
      const outDir = join(workDir, `fleet-${count}-c${concurrency}-${node.version}`);
      const args = ['run', '--config', config, '--out', outDir, '--concurrency', String(concurrency), '--no-progress'];
      // Node 22 and later fill their compile cache on a first run, as a user's first run does once: that run is not counted.
      if (node !== nodes[0]) await dbcomply([...args.slice(0, 4), join(workDir, `fleet-warm-up-${node.version}`), ...args.slice(5)], env, node.path);
      const serverCpuBefore = serverCpuMs();
      const run = await dbcomply(args, env, node.path);
      const serverCpu = serverCpuMs() - serverCpuBefore;
      const results = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8').catch(() => '{"targets":[]}')) as ResultsDocument;
      const verdicts: Record<string, number> = {};
      for (const target of results.targets) for (const verdict of Object.values(target.controls)) verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
      const assessed = results.targets.filter((target) => !target.error).length;
      rows.push([
        node === nodes[0] ? String(count) : `${count} (Node ${node.version})`,
        String(concurrency),
        formatMs(run.wallMs),
        count === 200 ? `< 60 s: ${met(run.wallMs, FLEET_TARGETS.wallMs)}` : count === 1 ? `< 1 s: ${met(run.wallMs, FLEET_TARGETS.oneTargetMs)}` : '',
        run.cpuMs !== undefined ? formatMs(run.cpuMs) : 'n/a',
        formatMs(serverCpu),
        run.cpuMs !== undefined ? formatMs(floorMs(run.cpuMs, serverCpu, prices.cores)) : 'n/a',
        run.maxRssBytes !== undefined ? `${formatMb(run.maxRssBytes)} (${met(run.maxRssBytes, FLEET_TARGETS.peakRssBytes)} < 400 MB)` : 'n/a',
        `${assessed}/${count}`,
        ['passed', 'failed', 'undecided', 'skipped'].map((verdict) => verdicts[verdict] ?? 0).join('/'),
      ]);
    }
  }
  console.log(`\n${formatTable(['targets', 'concurrency', 'wall', 'time target', 'dbcomply CPU', 'servers CPU', 'floor', 'peak RSS', 'assessed', 'controls passed/failed/undecided/skipped'], rows)}`);
  await Promise.all(servers.map((server) => server.stop()));
}
