import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pg from 'pg';
import { installCleanupOnSignals, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import type { Check } from '../../../src/probes/check.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import { connectionsLogged } from '../../../src/probes/audit/connections-logged.js';
import { auditExtension } from '../../../src/probes/audit/audit-extension.js';
import { clockSync } from '../../../src/probes/audit/clock-sync.js';
import { failedLoginsRecorded } from '../../../src/probes/audit/failed-logins-recorded.js';
import { pitrReady } from '../../../src/probes/backup/pitr-ready.js';
import { tablespacesEncrypted } from '../../../src/probes/rest/tablespaces-encrypted.js';
import type { Engine, Target } from '../../../src/targets/target.js';
import { decide, labTarget, type Decided } from './data-plane-checks-lab.js';
import { startLocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { reloadLabPostgres } from '../../support/postgres-admin.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

const CHECKS: Check<unknown>[] = [connectionsLogged, auditExtension, clockSync, failedLoginsRecorded, pitrReady, tablespacesEncrypted] as Check<unknown>[];
type Verdicts = Record<string, Decided['verdict']>;

/** Every new control's verdict on one lab configuration, read and judged as the pipeline would. */
async function verdictsOn(engine: Engine, configuration: string): Promise<{ verdicts: Verdicts; reasons: Record<string, string>; server: LocalServer; target: Target }> {
  const { server, target } = await labTarget(engine, configuration);
  const context = new TargetContext(target);
  try {
    const decided = await Promise.all(CHECKS.map(async (check) => [check.id, engine === 'postgres' && check.id === 'rest.tablespaces-encrypted' ? { verdict: 'skipped' as const, reason: 'postgres' } : await decide(check, target, context)] as const));
    return { verdicts: Object.fromEntries(decided.map(([id, d]) => [id, d.verdict])), reasons: Object.fromEntries(decided.map(([id, d]) => [id, d.reason])), server, target };
  } finally {
    await context.close();
  }
}

const ALL_PASS = {
  'audit.connections-logged': 'passed',
  'audit.audit-extension': 'passed',
  'audit.clock-sync': 'passed',
  'audit.failed-logins-recorded': 'passed',
  'backup.pitr-ready': 'passed',
  'rest.tablespaces-encrypted': 'passed',
} as const;

/**
 * What each configuration must show. A variant fails its own control; where the engine cannot
 * weaken one thing without another the settings also show it (MariaDB logs connections only
 * through server_audit; PostgreSQL's log_min_messages=panic drops connection lines too), and the
 * expectation says so.
 */
const EXPECTED: Record<Engine, Record<string, Verdicts>> = {
  postgres: {
    hardened: { ...ALL_PASS, 'rest.tablespaces-encrypted': 'skipped' },
    'connections-not-logged': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'skipped', 'audit.connections-logged': 'failed' },
    'no-audit-extension': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'skipped', 'audit.audit-extension': 'failed' },
    'archiving-off': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'skipped', 'backup.pitr-ready': 'failed' },
    // How long an archive keeps WAL is the archive's business: the variant archives as hardened does.
    'archive-short-retention': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'skipped' },
    // No storage engines on PostgreSQL: the variant equals hardened.
    'plaintext-engine-table': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'skipped' },
    // log_min_messages=panic drops pgaudit's lines (written at LOG) as well.
    'failed-logins-not-logged': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'skipped', 'audit.failed-logins-recorded': 'failed', 'audit.connections-logged': 'failed', 'audit.audit-extension': 'failed' },
    // No log file declared: the collector's file, read over SQL by the auditor, or (without the grant) no source at all.
    'log-read-over-sql': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'skipped' },
    'log-sql-not-granted': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'skipped', 'audit.failed-logins-recorded': 'skipped' },
    legacy: {
      'audit.connections-logged': 'failed',
      'audit.audit-extension': 'failed',
      'audit.clock-sync': 'passed',
      'audit.failed-logins-recorded': 'failed',
      'backup.pitr-ready': 'failed',
      'rest.tablespaces-encrypted': 'skipped',
    },
  },
  mysql: {
    hardened: ALL_PASS,
    'connections-not-logged': { ...ALL_PASS, 'audit.connections-logged': 'failed' },
    'no-audit-extension': { ...ALL_PASS, 'audit.audit-extension': 'failed', 'audit.connections-logged': 'failed' },
    'archiving-off': { ...ALL_PASS, 'backup.pitr-ready': 'failed' },
    // The binary log is on, but SHOW MASTER STATUS shows it leaves out the application database.
    'archive-partial': { ...ALL_PASS, 'backup.pitr-ready': 'failed' },
    // The binary log is on and complete, but purged after an hour (a later option cut expire_logs_days=30 down).
    'archive-short-retention': { ...ALL_PASS, 'backup.pitr-ready': 'failed' },
    // Purged after a second: the settings show it as well as the restore drill does.
    'archive-gap': { ...ALL_PASS, 'backup.pitr-ready': 'failed' },
    'unencrypted-at-rest': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'failed' },
    // Encrypted at rest, but a user table in MyISAM keeps its rows in plaintext (once a false pass).
    'plaintext-engine-table': { ...ALL_PASS, 'rest.tablespaces-encrypted': 'failed' },
    'failed-logins-not-logged': { ...ALL_PASS, 'audit.failed-logins-recorded': 'failed', 'audit.connections-logged': 'failed' },
    // No log file declared: the general log as a table, read over SQL by the auditor, or written to a file only.
    'log-read-over-sql': ALL_PASS,
    'log-sql-not-granted': { ...ALL_PASS, 'audit.failed-logins-recorded': 'skipped' },
    legacy: {
      'audit.connections-logged': 'failed',
      'audit.audit-extension': 'failed',
      'audit.clock-sync': 'passed',
      'audit.failed-logins-recorded': 'failed',
      'backup.pitr-ready': 'failed',
      'rest.tablespaces-encrypted': 'failed',
    },
  },
};

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`data-plane controls on real ${engine} lab servers`, { concurrency: 2 }, () => {
    for (const [configuration, expected] of Object.entries(EXPECTED[engine])) {
      const failing = Object.entries(expected).filter(([, v]) => v === 'failed').map(([id]) => id).join(', ');
      test(`${engine} ${configuration}: ${failing ? `${failing} fails` : 'every new control passes (or is skipped where the engine or the server cannot decide it)'}`, async () => {
        const { verdicts, reasons, server } = await verdictsOn(engine, configuration);
        try {
          assert.deepEqual(verdicts, expected, JSON.stringify(reasons, null, 2));
        } finally {
          await server.stop();
        }
      });
    }
  });
}

test('fail closed on real servers: settings and tablespaces the reading account may not see leave the control undecided, never passed', async () => {
  const [postgres, mariadb] = await Promise.all([labTarget('postgres', 'hardened'), labTarget('mysql', 'hardened')]);
  try {
    // Without the auditor, the application account reads: it lacks pg_read_all_settings (PostgreSQL) and PROCESS (MariaDB).
    const pgExtension = await decide(auditExtension as Check<unknown>, { ...postgres.target, auditor: undefined });
    assert.equal(pgExtension.verdict, 'undecided');
    assert.match(pgExtension.reason, /shared_preload_libraries could not be read \(\[42501\]/);
    const atRest = await decide(tablespacesEncrypted as Check<unknown>, { ...mariadb.target, auditor: undefined });
    assert.equal(atRest.verdict, 'undecided');
    assert.match(atRest.reason, /PROCESS/);
  } finally {
    await Promise.all([postgres.server.stop(), mariadb.server.stop()]);
  }
});

test('backup.pitr-ready on a real PostgreSQL: WAL really archived on hardened; an archive command that starts failing fails the control', async () => {
  const { server, target } = await labTarget('postgres', 'hardened');
  // The lab's admin over the unix socket (trusted there): switch WAL so a segment is archived, then break the command.
  const admin = new pg.Client({ host: join(server.workDirectory!, 'socket'), port: server.port, user: 'postgres', database: server.database });
  await admin.connect();
  const archiverAfter = async (what: (row: { archived_count: string; failed_count: string }) => boolean) => {
    for (let tries = 0; tries < 100; tries++) {
      const { rows } = await admin.query('SELECT archived_count, failed_count FROM pg_stat_archiver');
      if (what(rows[0])) return rows[0];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('pg_stat_archiver did not change within 10 s');
  };
  try {
    await admin.query('CREATE TABLE IF NOT EXISTS pitr_probe (n int); INSERT INTO pitr_probe VALUES (1)');
    await admin.query('SELECT pg_switch_wal()');
    await archiverAfter((row) => Number(row.archived_count) > 0);
    const working = await decide(pitrReady as Check<unknown>, target);
    assert.equal(working.verdict, 'passed', working.reason);
    assert.match(working.reason, /pg_stat_archiver: [1-9]\d* segments archived/);

    // The archiver has its reload signal once the postmaster has reloaded, and takes it before its next segment.
    await reloadLabPostgres(server, ["ALTER SYSTEM SET archive_command = 'false'"]);
    await admin.query('INSERT INTO pitr_probe VALUES (2)');
    await admin.query('SELECT pg_switch_wal()');
    await archiverAfter((row) => Number(row.failed_count) > 0);
    const failing = await decide(pitrReady as Check<unknown>, target);
    assert.equal(failing.verdict, 'failed', failing.reason);
    assert.match(failing.reason, /archiving is failing/);
  } finally {
    await admin.end().catch(() => undefined);
    await server.stop();
  }
});

test('audit.failed-logins-recorded on MariaDB with a PAM plugin (as the demo runs it): the server asks an unknown user for cleartext, and the throwaway password is sent over TLS so the failure happens and is logged', async () => {
  const server = await startLocalServer('mysql', 'hardened', { mode: 'process', withIdentityStandIn: true });
  try {
    const target = targetForLocalServer('mysql-hardened-pam', server, 'baseline');
    const decided = await decide(failedLoginsRecorded as Check<unknown>, target);
    assert.equal(decided.verdict, 'passed', decided.reason);
  } finally {
    await server.stop();
  }
});
