/**
 * backup.pitr-ready against an archive_command that does nothing, on a real server: with
 * archive_mode on and archive_command '/bin/true' pg_stat_archiver counts every segment archived
 * and shows no failure, while the archive stays empty.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { pitrReady } from '../../../src/probes/backup/pitr-ready.js';
import { decideCheck } from '../../support/decide-check.js';
import { asPostgresAdmin as asAdmin, reloadLabPostgres } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

test("archive_command '/bin/true': segments counted archived, none kept, and backup.pitr-ready fails", async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-archive-true', server, 'baseline');
    assert.equal((await decideCheck(pitrReady, target)).decision.verdict, 'passed');
    const lab = server.lab!;
    assert.equal(lab.engine, 'postgres');
    const archive = lab.walArchiveDirectory!;
    // The archiver has its reload signal once the postmaster has reloaded, and takes it before its next segment.
    await reloadLabPostgres(server, ["ALTER SYSTEM SET archive_command = '/bin/true'"]);
    const keptBefore = (await readdir(archive)).length;
    const [{ before }] = await asAdmin<{ before: number }>(server, ['SELECT archived_count::int AS before FROM pg_stat_archiver']);
    await asAdmin(server, ['CREATE TABLE churn AS SELECT generate_series(1, 1000) AS n', 'SELECT pg_switch_wal()']);
    let archived = before;
    for (const deadline = Date.now() + 10_000; archived <= before && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      [{ archived }] = await asAdmin<{ archived: number }>(server, ['SELECT archived_count::int AS archived FROM pg_stat_archiver']);
    }
    assert.ok(archived > before, 'the archiver reported no new segment');
    assert.equal((await readdir(archive)).length, keptBefore, 'a segment reached the archive after all');
    const decision = (await decideCheck(pitrReady, target)).decision;
    assert.equal(decision.verdict, 'failed', decision.reason);
    assert.match(decision.reason, /archive_command = '\/bin\/true' \(configuration file\) keeps no copy of the segment and reports success/);
  } finally {
    await server.stop();
  }
});

/** The same no-op in the forms people write it, each exiting 0 with the segment named: the old detector knew only the bare words. */
const NO_OPS_NAMING_THE_SEGMENT = ['/bin/true %p', 'echo %p', 'cp %p /dev/null', 'exit 0; cp %p /nowhere/%f'];

test(`archive_commands that name the segment and keep nothing (${NO_OPS_NAMING_THE_SEGMENT.join(' | ')}): counted archived, none kept, and backup.pitr-ready fails`, async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-archive-no-op-forms', server, 'baseline');
    const lab = server.lab!;
    assert.equal(lab.engine, 'postgres');
    const archive = lab.walArchiveDirectory!;
    for (const command of NO_OPS_NAMING_THE_SEGMENT) {
      await reloadLabPostgres(server, [`ALTER SYSTEM SET archive_command = '${command}'`]);
      const keptBefore = (await readdir(archive)).length;
      const [{ before }] = await asAdmin<{ before: number }>(server, ['SELECT archived_count::int AS before FROM pg_stat_archiver']);
      await asAdmin(server, ["SELECT pg_logical_emit_message(false, 'test', 'churn')", 'SELECT pg_switch_wal()']);
      let archived = before;
      for (const deadline = Date.now() + 10_000; archived <= before && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        [{ archived }] = await asAdmin<{ archived: number }>(server, ['SELECT archived_count::int AS archived FROM pg_stat_archiver']);
      }
      assert.ok(archived > before, `${command}: the archiver reported no new segment`);
      assert.equal((await readdir(archive)).length, keptBefore, `${command}: a segment reached the archive after all`);
      const decision = (await decideCheck(pitrReady, target)).decision;
      assert.equal(decision.verdict, 'failed', `${command}: ${decision.reason}`);
      assert.match(decision.reason, /keeps no copy of the segment and reports success/);
    }
  } finally {
    await server.stop();
  }
});
