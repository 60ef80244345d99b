/** bin/dbcomply.js run as a whole process, as a user would, with what the kernel says it cost. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/runner/spec-paths.js';

export const CLI = join(PACKAGE_ROOT, 'bin', 'dbcomply.js');
export const GNU_TIME = '/usr/bin/time';

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** The kernel's maximum resident set of the dbcomply process, from GNU time -v; undefined without it. */
  maxRssBytes?: number;
  /** User plus system CPU time of the process (GNU time -v): on a shared machine, less inflated than the wall time. */
  cpuMs?: number;
}

/** A Node binary the whole-process rows are timed under, with the version it reports. */
export interface NodeBinary {
  path: string;
  version: string;
}

/**
 * The Node running the bench, then each binary BENCH_NODES names (paths separated by commas): users
 * run Node 22 and 24, whose compile cache shortens every start, while this machine has Node 20.
 */
export function nodeBinaries(): NodeBinary[] {
  const extra = (process.env.BENCH_NODES ?? '')
    .split(',')
    .map((path) => path.trim())
    .filter(Boolean);
  return [
    { path: process.execPath, version: process.version },
    ...extra.map((path) => {
      try {
        return { path, version: execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim() };
      } catch (error) {
        throw new Error(`BENCH_NODES names ${path}, which does not run: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  ];
}

/** Runs bin/dbcomply.js as a user would, under GNU time -v when the machine has it (for the peak RSS). */
export function dbcomply(args: string[], env: NodeJS.ProcessEnv = process.env, node: string = process.execPath): Promise<ProcessRun> {
  const withTime = existsSync(GNU_TIME);
  const [command, argv] = withTime ? [GNU_TIME, ['-v', node, CLI, ...args]] : [node, [CLI, ...args]];
  const started = performance.now();
  const child = spawn(command, argv, { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      const figure = (label: string) => (withTime ? Number(stderr.match(new RegExp(`${label}: ([\\d.]+)`))?.[1]) : NaN);
      const kilobytes = figure('Maximum resident set size \\(kbytes\\)');
      const cpuSeconds = figure('User time \\(seconds\\)') + figure('System time \\(seconds\\)');
      resolve({ code, stdout, stderr, wallMs, ...(Number.isFinite(kilobytes) ? { maxRssBytes: kilobytes * 1024 } : {}), ...(Number.isFinite(cpuSeconds) ? { cpuMs: cpuSeconds * 1000 } : {}) });
    });
  });
}

