/**
 * Ctrl-C or SIGTERM in the middle of a run: local servers stop, their files go, a partial report
 * marked incomplete is written and its path printed, and the exit status is 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';

interface Interrupted {
  code: number | null;
  stdout: string;
}

/**
 * Starts the demo in its own process group, sends `signal` to the whole group once stdout matches
 * `when` (as a terminal's Ctrl-C does, so initdb and friends get it too), and waits for the end.
 */
function interruptDemo(outDir: string, fixturesDir: string, signal: NodeJS.Signals, when: RegExp): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'dbcomply.js'), 'run', '--demo', '--out', outDir], {
      env: { ...process.env, DBCOMPLY_LAB_TMPDIR: fixturesDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!sent && when.test(stdout)) {
        sent = true;
        process.kill(-child.pid!, signal);
      }
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!sent && when.test(stderr)) {
        sent = true;
        process.kill(-child.pid!, signal);
      }
    });
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within 60 s after ${signal}; stdout so far:\n${stdout}`));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout: stdout + (process.env.SHOW_STDERR ? stderr : '') });
    });
  });
}

function processesMentioning(path: string): string[] {
  const listing = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return listing.split('\n').filter((line) => line.includes(path));
}

for (const { signal, moment, when } of [
  { signal: 'SIGINT' as const, moment: 'while servers start', when: /starting local demo servers/ },
  { signal: 'SIGINT' as const, moment: 'while templates are being built', when: /no Docker engine reachable/ },
  { signal: 'SIGTERM' as const, moment: 'while targets are assessed', when: /^\S+\s+baseline\s+transport/m },
]) {
  test(`${signal} ${moment}: servers stopped, files removed, partial report written, exit 1`, async () => {
    const work = await mkdtemp(join(tmpdir(), 'dbcomply-interrupt-'));
    const fixturesDir = join(work, 'fixtures');
    // PostgreSQL runs as an unprivileged user when root starts it, and must be able to reach its files.
    await chmod(work, 0o755);
    await mkdir(fixturesDir, { mode: 0o755 });
    const outDir = join(work, 'out');
    try {
      const run = await interruptDemo(outDir, fixturesDir, signal, when);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^Report: .*report\.html$/m);
      const results = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8'));
      assert.equal(results.complete, false);
      for (const target of results.targets) {
        assert.ok(target.error || Object.keys(target.controls).length > 0, `${target.name} is either assessed or says why not`);
      }
      assert.deepEqual(await readdir(fixturesDir), [], 'no fixture files are left behind');
      assert.deepEqual(processesMentioning(fixturesDir), [], 'no server process is left behind');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}
