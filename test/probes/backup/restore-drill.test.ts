/**
 * backup.restore-drill on real lab servers, both engines: the drill passes on a server that archives
 * its WAL or keeps its binary log, and fails on each lab variant that breaks point-in-time restore,
 * and on a restore to a time after the last archived commit. Each drill cleans up after itself: its
 * restored server is stopped and its directories are gone when it returns.
 */
import { after, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { reasonNotApplicable } from '../../../src/controls/applicability.js';
import { NothingToJudge } from '../../../src/controls/observation.js';
import { observeWith } from '../../../src/probes/control-observation.js';
import { installCleanupOnSignals, startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { readRestoreDrill, restoreDrillCheck } from '../../../src/probes/backup/restore-drill.js';
import type { RestoreDrillEvidence } from '../../../src/probes/backup/restore-drill-evidence.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import { knownSecrets } from '../../../src/targets/secret-store.js';
import { portAcceptsConnections } from '../../support/ports.js';
import { postgresVersionAvailability } from '../../support/postgres-versions.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

/** What the drill left behind: restored servers still listening, drill directories still on disk. */
async function assertCleanedUp(server: LocalServer, evidence: RestoreDrillEvidence): Promise<void> {
  for (const step of evidence.steps) {
    const port = /restored server up on 127\.0\.0\.1:(\d+)/.exec(step.detail ?? '')?.[1];
    if (port) assert.equal(await portAcceptsConnections(Number(port)), false, `the restored server on port ${port} is still listening`);
  }
  const leftovers = (await readdir(dirname(server.workDirectory!))).filter((name) => name.startsWith('dbcomply-restore-drill-'));
  assert.deepEqual(leftovers, [], 'drill directories left behind');
}

function assertNoSecret(evidence: RestoreDrillEvidence): void {
  const text = JSON.stringify(evidence);
  for (const secret of knownSecrets()) assert.ok(!text.includes(secret), 'a password appears in the evidence');
}

/** Runs the check the way the pipeline does: read, then the pure judge. */
async function drillOn(context: TestContext, engine: 'postgres' | 'mysql', configuration: string, restoreTarget?: 'after-last-commit') {
  const server = await startLocalServer(engine, configuration, { mode: 'process' });
  try {
    const target = targetForLocalServer(`${engine}-${configuration}`, server, 'baseline');
    assert.equal(reasonNotApplicable('backup.restore-drill', target), undefined, 'a lab target must be drilled');
    const evidence = restoreTarget ? await readRestoreDrill(target, { restoreTarget }) : await (async () => {
      const observation = await observeWith(restoreDrillCheck, new TargetContext(target));
      assert.equal(observation.kind, 'observed', JSON.stringify(observation));
      return (observation as { evidence: RestoreDrillEvidence }).evidence;
    })();
    const judgement = restoreDrillCheck.judge(evidence, target);
    await assertCleanedUp(server, evidence);
    assertNoSecret(evidence);
    const timings = evidence.steps.map((step) => `  ${step.stage}/${step.outcome} ${step.ms} ms: ${step.step}`);
    const report = [`${engine} ${configuration}${restoreTarget ? ` (${restoreTarget})` : ''}: ${judgement.verdict} in ${evidence.totalMs} ms (restore ${evidence.restoreMs ?? '-'} ms): ${judgement.reason}`, ...timings];
    for (const line of report) context.diagnostic(line);
    return { evidence, judgement };
  } finally {
    await server.stop();
  }
}

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`backup.restore-drill on lab ${engine}`, () => {
    test('hardened: the restore to T brings back every row before T and none after', async (t) => {
      const { evidence, judgement } = await drillOn(t, engine, 'hardened');
      assert.equal(judgement.verdict, 'passed', judgement.reason);
      assert.deepEqual(evidence.canaries, { before: { written: 3, restored: 3 }, after: { written: 3, restored: 0 } });
      assert.ok(evidence.restoreMs !== undefined && evidence.restoreMs > 0);
      assert.ok(evidence.targetTime);
      assert.ok(evidence.steps.every((step) => step.outcome === 'ok'));
    });

    test('a restore to a time after the last archived commit never reports success', async (t) => {
      const { evidence, judgement } = await drillOn(t, engine, 'hardened', 'after-last-commit');
      assert.equal(judgement.verdict, 'failed', judgement.reason);
      if (engine === 'postgres') assert.match(judgement.reason, /recovery ended before configured recovery target was reached/);
      // mariadb-binlog stops at the end of the log without a word: the rows after T show the restore went past it.
      else assert.equal(evidence.canaries.after.restored, 3);
    });

    test('archiving-off (archive_mode off / no binary log) fails', async (t) => {
      const { judgement } = await drillOn(t, engine, 'archiving-off');
      assert.equal(judgement.verdict, 'failed', judgement.reason);
      assert.match(judgement.reason, engine === 'postgres' ? /archive_mode is off/ : /log_bin is OFF/);
    });

    test('archive-gap (a WAL segment / binary log missing) fails', async (t) => {
      const { judgement } = await drillOn(t, engine, 'archive-gap');
      assert.equal(judgement.verdict, 'failed', judgement.reason);
      assert.match(judgement.reason, engine === 'postgres' ? /recovery ended before configured recovery target was reached/ : /gap: binlog\.\d+ missing/);
    });
  });
}

// Its backup carries logging_collector = on: the restored server must still show its ready line where the drill waits for it.
test('postgres log-read-over-sql (log kept by the logging collector): the drill restores and passes', async (t) => {
  const { judgement } = await drillOn(t, 'postgres', 'log-read-over-sql');
  assert.equal(judgement.verdict, 'passed', judgement.reason);
});

test('backup.restore-drill is skipped on a target that is not a lab server, with the reason', async () => {
  const target = { name: 'remote', engine: 'postgres' as const, host: 'db.example', port: 5432, profile: 'baseline' as const, timeoutMs: 5000, minCertDaysLeft: 30 };
  assert.match(reasonNotApplicable('backup.restore-drill', target) ?? '', /restores need the server's files .*a lab target only/);
  await assert.rejects(readRestoreDrill(target), NothingToJudge);
});

test('a PostgreSQL build without the backup tools (the embedded 18) leaves the drill undecided, naming them, not failed', async (t) => {
  const availability = postgresVersionAvailability();
  if (!availability.present.includes(18)) {
    if (availability.required) assert.fail(availability.message);
    t.skip(availability.message);
    return;
  }
  const server = await startLocalServer('postgres', 'hardened', { postgresVersion: 18 });
  try {
    const target = targetForLocalServer('postgres-18-hardened', server, 'baseline');
    const observation = await observeWith(restoreDrillCheck, new TargetContext(target));
    assert.equal(observation.kind, 'observed', JSON.stringify(observation));
    const evidence = (observation as { evidence: RestoreDrillEvidence }).evidence;
    const judgement = restoreDrillCheck.judge(evidence, target);
    assert.equal(judgement.verdict, 'undecided', judgement.reason);
    assert.match(judgement.reason, /the restore drill could not run: the drill's tools are installed beside the server .* failed: not found in \S+: pg_basebackup, pg_verifybackup/);
    await assertCleanedUp(server, evidence);
  } finally {
    await server.stop();
  }
});
