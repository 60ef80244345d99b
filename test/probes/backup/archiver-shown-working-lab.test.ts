/**
 * backup.pitr-ready on a real PostgreSQL: archiving must be shown to work (pg_stat_archiver counts a
 * segment archived), not only configured. The lab archives one segment when it sets a server up;
 * with the archiver's counters reset, the same settings say nothing about whether archiving works.
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

test('archiving configured but 0 segments archived (counters reset): backup.pitr-ready is undecided, and passes again once a segment is archived', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-archiver-shown', server, 'baseline');
    // As set up: the lab has archived a segment into the archive directory, so the control sees archiving work.
    const [{ archived }] = await asAdmin<{ archived: number }>(server, ['SELECT archived_count::int AS archived FROM pg_stat_archiver']);
    assert.ok(archived >= 1, `the lab archived no segment at set-up (${archived})`);
    const lab = server.lab!;
    assert.equal(lab.engine, 'postgres');
    assert.ok((await readdir(lab.walArchiveDirectory!)).length >= 1, 'the archive directory is empty');
    const working = (await decideCheck(pitrReady, target)).decision;
    assert.equal(working.verdict, 'passed', working.reason);
    assert.match(working.reason, /pg_stat_archiver: [1-9]\d* segments archived, last [0-9A-F]{24}/);

    await asAdmin(server, ["SELECT pg_stat_reset_shared('archiver')"]);
    const [{ count }] = await asAdmin<{ count: number }>(server, ['SELECT archived_count::int AS count FROM pg_stat_archiver']);
    assert.equal(count, 0);
    const unshown = (await decideCheck(pitrReady, target)).decision;
    assert.equal(unshown.verdict, 'undecided', unshown.reason);
    assert.match(unshown.reason, /pg_stat_archiver shows 0 segments archived since its counters were reset at \d{4}-.*that archiving works has not been shown/);

    await asAdmin(server, ["SELECT pg_logical_emit_message(false, 'test', 'one more segment')", 'SELECT pg_switch_wal()']);
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const [{ now }] = await asAdmin<{ now: number }>(server, ['SELECT archived_count::int AS now FROM pg_stat_archiver']);
      if (now > 0) break;
    }
    const shownAgain = (await decideCheck(pitrReady, target)).decision;
    assert.equal(shownAgain.verdict, 'passed', shownAgain.reason);
  } finally {
    await server.stop();
  }
});

test('archive_command that hangs: no failure is ever counted, segments pile up, and after a minute backup.pitr-ready is undecided, not passed', { timeout: 180_000 }, async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-archiver-hung', server, 'baseline');
    // As a copy to an unreachable mount or host without a timeout would: the command never returns.
    await reloadLabPostgres(server, ["ALTER SYSTEM SET archive_command = 'sleep 3600; cp %p /unreachable/%f'"]);
    for (let segment = 0; segment < 4; segment++) await asAdmin(server, ["SELECT pg_logical_emit_message(false, 'test', 'churn')", 'SELECT pg_switch_wal()']);
    const soon = (await decideCheck(pitrReady, target)).decision;
    assert.equal(soon.verdict, 'passed', `a backlog seconds old is an archiver at work: ${soon.reason}`);
    assert.match(soon.reason, /, 0 failures, [2-9] finished segments waiting/);
    // Until a minute has passed since the last success (the set-up's segment), by the server's clock.
    for (;;) {
      const [{ since }] = await asAdmin<{ since: number }>(server, ['SELECT extract(epoch FROM clock_timestamp() - last_archived_time)::float8 AS since FROM pg_stat_archiver']);
      if (since >= 61) break;
      await new Promise((resolve) => setTimeout(resolve, (61 - since) * 1000));
    }
    const [{ failed }] = await asAdmin<{ failed: number }>(server, ['SELECT failed_count::int AS failed FROM pg_stat_archiver']);
    assert.equal(failed, 0, 'the hung command was counted as failing');
    const stalled = (await decideCheck(pitrReady, target)).decision;
    assert.equal(stalled.verdict, 'undecided', stalled.reason);
    assert.match(stalled.reason, /[2-9] finished segments after it wait to be archived .* nothing has been archived for 6\d s, with 0 failures: archiving has stalled or fallen behind/);
  } finally {
    await server.stop();
  }
});
