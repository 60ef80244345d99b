/**
 * What this machine charges for the work a fleet run cannot avoid, measured beside the fleet rows
 * so that a reader of one day's figures can tell the code's share from the machine's. The VMs this
 * bench runs on differ from day to day by a factor of three in what a process or a socket costs
 * (one day a fork and exit took 9 ms, where a workstation takes well under 1): every PostgreSQL
 * login-path startup is a backend process forked on the server, so that price sets a floor no
 * change to the harness can go under while the servers share its cores.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { askPostgresToAuthenticate } from '../src/sessions/postgres-startup.js';
import type { LocalServer } from '../src/lab/local-server.js';

export interface MachinePrices {
  /** Wall time of one spawn of /bin/true, waited for (fork or clone, exec, exit). */
  processMs: number;
  /** Server CPU of one PostgreSQL startup refused or asked to authenticate over plaintext: one backend forked and gone. */
  postgresStartupServerCpuMs: number;
  /** Harness CPU of the same startup (connect, one write, one read, close). */
  postgresStartupHarnessCpuMs: number;
  cores: number;
}

const SAMPLES = 40;

function spawnTrue(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/true', [], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

/**
 * Times SAMPLES process spawns and SAMPLES plaintext startups against a lab PostgreSQL, one at a
 * time. `serverCpuMs` reads the database servers' CPU from /proc, as the fleet rows do.
 */
export async function measureMachinePrices(postgres: LocalServer, serverCpuMs: () => number): Promise<MachinePrices> {
  const spawnStarted = performance.now();
  for (let index = 0; index < SAMPLES; index += 1) await spawnTrue();
  const processMs = (performance.now() - spawnStarted) / SAMPLES;

  const endpoint = { engine: 'postgres' as const, host: postgres.host, port: postgres.port, timeoutMs: 5_000 };
  const serverBefore = serverCpuMs();
  const harnessBefore = process.cpuUsage();
  for (let index = 0; index < SAMPLES; index += 1) {
    await askPostgresToAuthenticate(endpoint, { user: 'dbcomply_bench_price', database: 'postgres', transport: 'plaintext', host: postgres.host });
  }
  const harness = process.cpuUsage(harnessBefore);
  return {
    processMs,
    postgresStartupServerCpuMs: (serverCpuMs() - serverBefore) / SAMPLES,
    postgresStartupHarnessCpuMs: (harness.user + harness.system) / 1000 / SAMPLES,
    cores: cpus().length,
  };
}

/** The shortest wall time any schedule could reach: all CPU spent, harness and servers, spread over every core. */
export function floorMs(harnessCpuMs: number, serversCpuMs: number, cores: number): number {
  return (harnessCpuMs + serversCpuMs) / cores;
}
