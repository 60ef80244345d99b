/**
 * backup.pitr-ready's binary log retention on a real MariaDB: the whole pipeline on hardened and on
 * archive-short-retention (only this control differs), and settings the lab was not built for,
 * changed at run time over the root socket.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installCleanupOnSignals, startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { runTarget } from '../../../src/runner/run-target.js';
import type { Check } from '../../../src/probes/check.js';
import { pitrReady } from '../../../src/probes/backup/pitr-ready.js';
import { decide } from '../audit/data-plane-checks-lab.js';

installCleanupOnSignals();
const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-binlog-retention-'));
after(async () => {
  await stopAllLocalServers();
  await rm(outDir, { recursive: true, force: true });
});

/** Root over the lab server's socket (unix_socket authentication: no password). */
async function asRoot(server: LocalServer, sql: string): Promise<string> {
  const { stdout } = await promisify(execFile)('mariadb', ['--no-defaults', `--socket=${join(server.workDirectory!, 'mariadb.sock')}`, '--user=root', '-N', '-e', sql], { timeout: 10_000 });
  return stdout;
}

test('the whole spec on real MariaDB: archive-short-retention fails backup.pitr-ready, and every other control is decided as on hardened', async () => {
  const [hardened, short] = await Promise.all([startLocalServer('mysql', 'hardened', { mode: 'process' }), startLocalServer('mysql', 'archive-short-retention', { mode: 'process' })]);
  try {
    const [onHardened, onShort] = await Promise.all([
      runTarget(targetForLocalServer('mariadb-hardened', hardened, 'baseline'), outDir),
      runTarget(targetForLocalServer('mariadb-short-retention', short, 'baseline'), outDir),
    ]);
    assert.equal(onHardened.controls['backup.pitr-ready'], 'passed', onHardened.reasons['backup.pitr-ready']);
    assert.match(onHardened.reasons['backup.pitr-ready'], /never purges it by itself \(binlog_expire_logs_seconds = '0' \(COMPILE-TIME\); expire_logs_days = '0\.000000' \(COMPILE-TIME\)\)/);
    assert.equal(onShort.controls['backup.pitr-ready'], 'failed', onShort.reasons['backup.pitr-ready']);
    // expire_logs_days=30 came first on the command line; the later binlog_expire_logs_seconds=3600 rewrote it.
    assert.match(onShort.reasons['backup.pitr-ready'], /purges it once 1 hour old \(binlog_expire_logs_seconds = '3600' \(COMMAND-LINE\); expire_logs_days = '0\.041667' \(COMMAND-LINE\)\).*fewer than the 7 days of backups the baseline profile asks for/);
    const differing = Object.keys({ ...onHardened.controls, ...onShort.controls }).filter((id) => onHardened.controls[id] !== onShort.controls[id]);
    assert.deepEqual(differing, ['backup.pitr-ready'], JSON.stringify({ hardened: onHardened.controls, short: onShort.controls }, null, 1));
    const counts = (controls: Record<string, string>) => Object.values(controls).reduce<Record<string, number>>((sum, verdict) => ({ ...sum, [verdict]: (sum[verdict] ?? 0) + 1 }), {});
    console.log(`hardened ${JSON.stringify(counts(onHardened.controls))}; archive-short-retention ${JSON.stringify(counts(onShort.controls))}`);
    assert.ok(Object.keys(onShort.controls).length > 20, `only ${Object.keys(onShort.controls).length} controls ran`);
  } finally {
    await Promise.all([hardened.stop(), short.stop()]);
  }
});

test('settings the lab was not built for, set at run time on a real MariaDB: the judge follows what the server runs with', async () => {
  const server = await startLocalServer('mysql', 'hardened', { mode: 'process' });
  const baseline = targetForLocalServer('mariadb-runtime-retention', server, 'baseline');
  const judged = async (target = baseline) => decide(pitrReady as Check<unknown>, target);
  try {
    await asRoot(server, 'SET GLOBAL binlog_expire_logs_seconds = 3600');
    const hour = await judged();
    assert.equal(hour.verdict, 'failed', hour.reason);
    // The linked variable takes the new value but keeps its origin (seen on 10.11: COMPILE-TIME).
    assert.match(hour.reason, /once 1 hour old \(binlog_expire_logs_seconds = '3600' \(SQL\); expire_logs_days = '0\.041667' \(COMPILE-TIME\)\)/);

    // expire_logs_days after binlog_expire_logs_seconds: MariaDB links them, so the later one is the period.
    await asRoot(server, 'SET GLOBAL expire_logs_days = 40');
    const linked = await judged();
    assert.equal(linked.verdict, 'passed', linked.reason);
    assert.match(linked.reason, /kept 40 days \(binlog_expire_logs_seconds = '3456000' \(SQL\); expire_logs_days = '40\.000000' \(SQL\)\), at least the 7 days/);

    await asRoot(server, 'SET GLOBAL binlog_expire_logs_seconds = 864000');
    const strict = await judged({ ...baseline, profile: 'strict' });
    assert.equal(strict.verdict, 'failed', strict.reason);
    assert.match(strict.reason, /once 10 days old .*fewer than the 35 days of backups the strict profile asks for/);
    const declared = await judged({ ...baseline, profile: 'strict', minBinaryLogDays: 10 });
    assert.equal(declared.verdict, 'passed', declared.reason);

    // expire_logs_days = 0 after a period switches purging off altogether.
    await asRoot(server, 'SET GLOBAL expire_logs_days = 0');
    const never = await judged();
    assert.equal(never.verdict, 'passed', never.reason);
    assert.match(never.reason, /never purges it by itself \(binlog_expire_logs_seconds = '0' \(SQL\)/);

    // What the failing verdict stands for: a one-second period really removes the logs a restore would replay.
    await asRoot(server, 'SET GLOBAL binlog_expire_logs_seconds = 1');
    const before = (await asRoot(server, 'SHOW BINARY LOGS')).trim().split('\n').map((line) => line.split('\t')[0]);
    await asRoot(server, 'FLUSH BINARY LOGS');
    // A rotation purges the files older than the period, by times of one-second resolution: rotate
    // until they are gone (bounded, 10 s) rather than sleep a guess at when they will be old enough.
    let afterPurge: string[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
      await asRoot(server, 'FLUSH BINARY LOGS');
      afterPurge = (await asRoot(server, 'SHOW BINARY LOGS')).trim().split('\n').map((line) => line.split('\t')[0]);
      if (before.every((file) => !afterPurge.includes(file))) break;
    }
    assert.ok(before.length > 0 && before.every((file) => !afterPurge.includes(file)), `before ${before.join(',')}; after ${afterPurge.join(',')}`);
    const second = await judged();
    assert.equal(second.verdict, 'failed', second.reason);
    assert.match(second.reason, /once 1 second old/);
  } finally {
    await server.stop();
  }
});
