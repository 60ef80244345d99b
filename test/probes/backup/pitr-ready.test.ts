import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pitrReady, type PitrEvidence } from '../../../src/probes/backup/pitr-ready.js';
import { awaitingRestartOf, settings, target } from '../audit/settings-fixtures.js';

const PG = { wal_level: 'replica', archive_mode: 'on', archive_command: 'test ! -f /a/%f && cp %p /a/%f', archive_library: '' };

const cases: Array<{ name: string; engine: 'postgres' | 'mysql'; evidence: PitrEvidence; verdict: string; reason: RegExp }> = [
  { name: 'archiving with a command', engine: 'postgres', evidence: settings(PG), verdict: 'passed', reason: /archive_command set/ },
  { name: 'archiving with a library', engine: 'postgres', evidence: settings({ ...PG, archive_command: '', archive_library: 'basic_archive' }), verdict: 'passed', reason: /archive_library 'basic_archive'/ },
  { name: 'archive_mode always', engine: 'postgres', evidence: settings({ ...PG, archive_mode: 'Always' }), verdict: 'passed', reason: /always/ },
  { name: 'archive_library absent on PostgreSQL 14 is not off', engine: 'postgres', evidence: settings({ ...PG, archive_library: null }), verdict: 'passed', reason: /archive_command set/ },
  { name: 'archive_mode off', engine: 'postgres', evidence: settings({ ...PG, archive_mode: 'off' }), verdict: 'failed', reason: /WAL is not archived/ },
  { name: 'archive_mode on without command or library', engine: 'postgres', evidence: settings({ ...PG, archive_command: '', archive_library: '' }), verdict: 'failed', reason: /never archived/ },
  { name: 'archive_command /bin/true reports success and keeps nothing', engine: 'postgres', evidence: settings({ ...PG, archive_command: '/bin/true' }), verdict: 'failed', reason: /archive_command = '\/bin\/true' \(configuration file\) does nothing and reports success/ },
  { name: "archive_command 'exit 0'", engine: 'postgres', evidence: settings({ ...PG, archive_command: ' exit  0 ' }), verdict: 'failed', reason: /does nothing/ },
  { name: 'archive_command naming neither %p nor %f', engine: 'postgres', evidence: settings({ ...PG, archive_command: '/usr/local/bin/ship-wal' }), verdict: 'undecided', reason: /names neither the segment's path \(%p\) nor its file name \(%f\)/ },
  { name: 'archive_command with %f only (a path relative to the data directory)', engine: 'postgres', evidence: settings({ ...PG, archive_command: 'cp pg_wal/%f /a/%f' }), verdict: 'passed', reason: /archive_command set/ },
  { name: 'archive_mode turned off in the files, waiting for a restart', engine: 'postgres', evidence: awaitingRestartOf(settings(PG), 'archive_mode'), verdict: 'undecided', reason: /WAL is archived now, but archive_mode has a changed value .* next restart/ },
  { name: 'archive_command (disabled)', engine: 'postgres', evidence: settings({ ...PG, archive_command: '(disabled)', archive_library: null }), verdict: 'failed', reason: /neither an archive command/ },
  { name: 'wal_level minimal', engine: 'postgres', evidence: settings({ ...PG, wal_level: 'minimal' }), verdict: 'failed', reason: /too little/ },
  { name: 'unreadable archive_command', engine: 'postgres', evidence: settings({ ...PG, archive_command: new Error('permission denied') }), verdict: 'undecided', reason: /could not be read/ },
  {
    name: 'archiving configured but failing since the last success',
    engine: 'postgres',
    evidence: { ...settings(PG), archiver: { archivedCount: 4, lastArchivedWal: 'A', lastArchivedTime: '2026-01-01T00:00:00.000Z', failedCount: 3, lastFailedWal: 'B', lastFailedTime: '2026-01-01T00:05:00.000Z' } },
    verdict: 'failed',
    reason: /archiving is failing: pg_stat_archiver shows 3 failures, the last for B/,
  },
  {
    name: 'an old failure, archived since',
    engine: 'postgres',
    evidence: { ...settings(PG), archiver: { archivedCount: 9, lastArchivedWal: 'C', lastArchivedTime: '2026-01-01T00:10:00.000Z', failedCount: 1, lastFailedWal: 'B', lastFailedTime: '2026-01-01T00:05:00.000Z' } },
    verdict: 'passed',
    reason: /9 segments archived, last C/,
  },
  { name: 'binlog on, ROW', engine: 'mysql', evidence: settings({ log_bin: 'ON', binlog_format: 'ROW' }), verdict: 'passed', reason: /ROW/ },
  { name: 'binlog on, mixed (lower case)', engine: 'mysql', evidence: settings({ log_bin: 'on', binlog_format: 'mixed' }), verdict: 'passed', reason: /MIXED/ },
  { name: 'binlog on, STATEMENT', engine: 'mysql', evidence: settings({ log_bin: 'ON', binlog_format: 'STATEMENT' }), verdict: 'failed', reason: /may not give back the same rows/ },
  { name: 'binlog off', engine: 'mysql', evidence: settings({ log_bin: 'OFF', binlog_format: 'MIXED' }), verdict: 'failed', reason: /binary log is off/ },
  {
    name: 'binlog on, no database filter',
    engine: 'mysql',
    evidence: { ...settings({ log_bin: 'ON', binlog_format: 'ROW' }), binaryLogFilters: { doDatabases: '', ignoreDatabases: '' } },
    verdict: 'passed',
    reason: /no database filter \(SHOW MASTER STATUS\)/,
  },
  {
    name: 'binlog on, the application database ignored',
    engine: 'mysql',
    evidence: { ...settings({ log_bin: 'ON', binlog_format: 'ROW' }), binaryLogFilters: { doDatabases: '', ignoreDatabases: 'app' } },
    verdict: 'failed',
    reason: /logs nothing of app \(binlog-ignore-db\)/,
  },
  {
    name: 'binlog on, only some databases',
    engine: 'mysql',
    evidence: { ...settings({ log_bin: 'ON', binlog_format: 'ROW' }), binaryLogFilters: { doDatabases: 'billing', ignoreDatabases: '' } },
    verdict: 'failed',
    reason: /logs only billing \(binlog-do-db\)/,
  },
  {
    name: 'binlog on, filters not readable',
    engine: 'mysql',
    evidence: { ...settings({ log_bin: 'ON', binlog_format: 'ROW' }), binaryLogFilters: { problem: 'Access denied; you need BINLOG MONITOR' } },
    verdict: 'passed',
    reason: /database filters were not read \(Access denied/,
  },
  { name: 'log_bin absent', engine: 'mysql', evidence: settings({ log_bin: null, binlog_format: 'ROW' }), verdict: 'failed', reason: /log_bin is absent/ },
];

for (const { name, engine, evidence, verdict, reason } of cases) {
  test(`backup.pitr-ready judge: ${name} -> ${verdict}`, () => {
    const judgement = pitrReady.judge(evidence, target(engine));
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}
