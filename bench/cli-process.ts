/** bin/dbcomply.js run as a whole process, as a user would, with what the kernel says it cost. */
import { spawn } from 'node:child_process';
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

/** Runs bin/dbcomply.js as a user would, under GNU time -v when the machine has it (for the peak RSS). */
export function dbcomply(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessRun> {
  const withTime = existsSync(GNU_TIME);
  const [command, argv] = withTime ? [GNU_TIME, ['-v', process.execPath, CLI, ...args]] : [process.execPath, [CLI, ...args]];
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

