/**
 * The restore drill's judge on evidence shaped like what the drills return; the real servers' side
 * (each lab variant failing, hardened passing) is test/probes/backup/restore-drill.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeRestoreDrill } from '../../../src/probes/backup/restore-drill-judgement.js';
import type { DrillStage, DrillStep, RestoreDrillEvidence } from '../../../src/probes/backup/restore-drill-evidence.js';

const ok = (stage: DrillStage, step = `${stage} step`): DrillStep => ({ stage, step, outcome: 'ok', ms: 10 });
const broken = (stage: DrillStage, step: string, detail: string): DrillStep => ({ stage, step, outcome: 'failed', ms: 10, detail });

const FULL_CHAIN = [ok('preparation'), ok('backup'), ok('archive'), ok('preparation'), ok('restore'), ok('verification')];

function drill(change: Partial<RestoreDrillEvidence> & { before?: number; after?: number }): RestoreDrillEvidence {
  const { before = 3, after = 0, ...rest } = change;
  return {
    engine: 'postgres',
    restoreTarget: 'between-canaries',
    archivingSettings: { archive_mode: 'on' },
    runId: 'drill-0123456789ab',
    canaries: { before: { written: 3, restored: before }, after: { written: 3, restored: after } },
    targetTime: '2026-11-30 13:16:07.123877+00:00',
    restoreMs: 540,
    totalMs: 1800,
    steps: FULL_CHAIN,
    ...rest,
  };
}

const RESTORE_FATAL = [
  'restored postgres server (restore drill) exited (exit code 1) before it was ready; last log lines:',
  'LOG:  redo done at 0/C00170',
  'FATAL:  recovery ended before configured recovery target was reached',
].join('\n');

const cases: Array<{ name: string; evidence: RestoreDrillEvidence; verdict: 'passed' | 'failed' | 'undecided'; reason: RegExp }> = [
  { name: 'every row before T back, none after', evidence: drill({}), verdict: 'passed', reason: /restored to 2026-11-30 13:16:07\.123877\+00:00 in 540 ms .*all 3 .* none of the 3/ },
  { name: 'a row before T missing', evidence: drill({ before: 2 }), verdict: 'failed', reason: /only 2 of the 3 canary rows committed before/ },
  { name: 'rows after T restored (the restore did not stop at T)', evidence: drill({ after: 3 }), verdict: 'failed', reason: /3 of the 3 canary rows committed after .* did not stop/ },
  {
    name: 'archiving off',
    evidence: drill({ before: undefined, after: undefined, steps: [ok('preparation'), broken('archive', 'WAL archiving is on', 'archive_mode is off: no WAL segment is archived')] }),
    verdict: 'failed',
    reason: /failed at the archive step "WAL archiving is on": archive_mode is off/,
  },
  {
    name: 'binlog off',
    evidence: drill({ engine: 'mysql', before: undefined, after: undefined, steps: [ok('preparation'), broken('archive', 'the binary log is on', 'log_bin is OFF: no change after a backup is kept')] }),
    verdict: 'failed',
    reason: /log_bin is OFF/,
  },
  {
    name: 'a gap in the binary logs',
    evidence: drill({ engine: 'mysql', before: undefined, after: undefined, steps: [ok('preparation'), ok('backup'), broken('archive', 'list the binary logs', 'the binary log chain from the backup\'s position has a gap: binlog.000001 missing')] }),
    verdict: 'failed',
    reason: /gap: binlog\.000001 missing/,
  },
  {
    name: 'recovery ended before the target (a WAL gap, or a target after the last archived commit): the server FATAL line is the reason',
    evidence: drill({ before: undefined, after: undefined, steps: [ok('preparation'), ok('backup'), ok('archive'), broken('restore', 'restore the base backup', RESTORE_FATAL)] }),
    verdict: 'failed',
    reason: /failed at the restore step .*FATAL: +recovery ended before configured recovery target was reached/,
  },
  {
    name: 'the base backup failed',
    evidence: drill({ before: undefined, after: undefined, steps: [ok('preparation'), broken('backup', 'pg_basebackup -Xs', 'pg_basebackup: error: could not connect')] }),
    verdict: 'failed',
    reason: /backup step "pg_basebackup -Xs": pg_basebackup: error: could not connect/,
  },
  {
    name: 'a tool missing on the harness machine',
    evidence: drill({ before: undefined, after: undefined, steps: [broken('preparation', 'find mariadb-backup', 'mariadb-backup is not installed (Debian package mariadb-backup)')] }),
    verdict: 'undecided',
    reason: /could not run: find mariadb-backup failed: mariadb-backup is not installed/,
  },
  {
    name: 'no canary rows after T were written',
    evidence: drill({ canaries: { before: { written: 3, restored: 3 }, after: { written: 0, restored: 0 } } }),
    verdict: 'undecided',
    reason: /no canary rows on one side/,
  },
  {
    name: 'the restored server was never counted',
    evidence: drill({ canaries: { before: { written: 3 }, after: { written: 3 } }, steps: FULL_CHAIN.filter((step) => step.stage !== 'verification') }),
    verdict: 'undecided',
    reason: /without its verification stage/,
  },
  {
    name: 'counts without a restore stage in the evidence never pass',
    evidence: drill({ steps: FULL_CHAIN.filter((step) => step.stage !== 'restore') }),
    verdict: 'undecided',
    reason: /without its restore stage/,
  },
  {
    name: 'a failed step wins over counts that look right',
    evidence: drill({ steps: [...FULL_CHAIN, broken('verification', 'count', 'connection refused')] }),
    verdict: 'failed',
    reason: /connection refused/,
  },
];

for (const { name, evidence, verdict, reason } of cases) {
  test(`backup.restore-drill judge: ${name} -> ${verdict}`, () => {
    const judgement = judgeRestoreDrill(evidence);
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}

test('backup.restore-drill judge: a long tool message is cut in the reason', () => {
  const judgement = judgeRestoreDrill(drill({ steps: [ok('preparation'), broken('backup', 'mariadb-backup --backup', `error: ${'x'.repeat(2000)}`)] }));
  assert.equal(judgement.verdict, 'failed');
  assert.ok(judgement.reason.length < 500, `${judgement.reason.length} characters`);
});
