/**
 * The comparison as a run makes it: a real lab server declared as an Azure stand-in server, its
 * logging rows filled from the settings the catalog checks read on the real server (not from
 * fixtures), beside the stand-in's ARM parameters. One server whose real setting disagrees with
 * ARM, one that agrees, for connection logging (PostgreSQL, 18's list form too) and audit logging
 * (MariaDB's server_audit loaded but not logging is not auditing).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { AzureStandIn } from '../../../src/lab/azure-stand-in/azure-stand-in.js';
import { mysqlServerId, pgServerId } from '../../../src/lab/azure-stand-in/stand-in-fleet.js';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { configurationVsBehaviour } from '../../../src/probes/plane/configuration-findings.js';
import { serverSettings } from '../../../src/probes/audit/server-settings.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import { azureClientSecretFor, rememberAccountPassword, rememberAzureClientSecret } from '../../../src/targets/secret-store.js';
import type { ConfigurationComparison } from '../../../src/probes/plane/configuration-vs-behaviour.js';
import type { Target } from '../../../src/targets/target.js';
import { standInTarget } from './plane-target.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';
import { asPostgresAdmin, setLabPostgresSettings } from '../../support/postgres-admin.js';
import { labPostgresMajors } from '../../support/postgres-versions.js';

let standIn: AzureStandIn;
before(async () => {
  standIn = await AzureStandIn.start();
});
after(async () => {
  await Promise.all([standIn?.stop(), stopAllLocalServers()]);
});

let serial = 0;

/** A lab server declared as the stand-in's server `resourceId`: one target with both an endpoint and an Azure resource. */
function bothSides(server: LocalServer, resourceId: string): Target {
  const plane = standInTarget(standIn, resourceId, { profile: 'baseline' });
  const target = { ...targetForLocalServer(`cfg-${++serial}`, server, 'baseline'), azure: plane.azure };
  rememberAzureClientSecret(target.name, azureClientSecretFor(plane.name)!);
  return target;
}

/** The comparison's rows for the target, made as the runner makes them, with a context of its own. */
async function compare(target: Target, before?: (context: TargetContext) => Promise<void>): Promise<Record<string, ConfigurationComparison>> {
  const context = new TargetContext(target);
  try {
    await before?.(context);
    const comparison = await configurationVsBehaviour(context);
    assert.ok(comparison && 'rows' in comparison, JSON.stringify(comparison));
    return Object.fromEntries(comparison.rows.map((row) => [row.aspect, row]));
  } finally {
    await context.close();
  }
}

const sides = (row: ConfigurationComparison) => JSON.stringify(row);

for (const { major, skip, versionOption } of labPostgresMajors([18])) {
  describe(`PostgreSQL ${major}`, { skip }, () => {
    test("Azure says log_connections on: a server that logs no connections disagrees, the hardened one agrees", async () => {
      const [quiet, hardened] = await Promise.all([startLocalServer('postgres', 'connections-not-logged', versionOption), startLocalServer('postgres', 'hardened', versionOption)]);
      const disagreeing = (await compare(bothSides(quiet, pgServerId('pg-compliant'))))['connection logging'];
      assert.equal(disagreeing.agrees, false, sides(disagreeing));
      assert.equal(disagreeing.configured, "log_connections 'on': logs authentication, authorization, receipt");
      assert.match(disagreeing.observed, /^log_connections = 'off' \(configuration file\): logs nothing/);
      assert.match(disagreeing.finding!, /Azure says log_connections 'on' .*, yet the server runs log_connections = 'off'/);

      const agreeing = (await compare(bothSides(hardened, pgServerId('pg-compliant'))))['connection logging'];
      assert.equal(agreeing.agrees, true, sides(agreeing));
      assert.match(agreeing.observed, /^log_connections = 'on' \(configuration file\): logs authentication, authorization, receipt; .*$/);
    });

    test('audit logging: Azure preloads pgaudit auditing DDL and ROLE; the server without pgaudit disagrees, the hardened one as its build allows', async (t) => {
      const [unaudited, hardened] = await Promise.all([startLocalServer('postgres', 'no-audit-extension', versionOption), startLocalServer('postgres', 'hardened', versionOption)]);
      const disagreeing = (await compare(bothSides(unaudited, pgServerId('pg-compliant'))))['audit logging'];
      assert.equal(disagreeing.agrees, false, sides(disagreeing));
      assert.match(disagreeing.finding!, /Azure says auditing is on, yet the server's audit is not writing: pgaudit is not loaded: shared_preload_libraries = 'auth_delay'/);
      const hardenedRow = (await compare(bothSides(hardened, pgServerId('pg-compliant'))))['audit logging'];
      // pgaudit is installed for the machine's PostgreSQL only (Debian's package); a pinned build has none,
      // and its hardened server runs without: asked of the server as its superuser, not of the probe.
      const [{ libraries }] = await asPostgresAdmin<{ libraries: string }>(hardened, ["SELECT current_setting('shared_preload_libraries') AS libraries"]);
      const withPgaudit = libraries.split(',').map((library) => library.trim()).includes('pgaudit');
      t.diagnostic(`the hardened PostgreSQL ${major} preloads ${libraries}`);
      if (!withPgaudit) {
        assert.equal(hardenedRow.agrees, false, sides(hardenedRow));
        assert.match(hardenedRow.observed, /pgaudit is not loaded/);
      } else {
        assert.equal(hardenedRow.agrees, true, sides(hardenedRow));
        assert.match(hardenedRow.observed, /^the audit is writing: pgaudit is in shared_preload_libraries; pgaudit.log = 'ddl, role'/);
      }
    });
  });
}

describe('PostgreSQL 18: log_connections as a list', { skip: labPostgresMajors([18])[1].skip }, () => {
  test("the server's 'receipt' disagrees with Azure's 'on'; its 'receipt,authentication,authorization' agrees", async () => {
    const server = await startLocalServer('postgres', 'hardened', { postgresVersion: 18 });
    const target = bothSides(server, pgServerId('pg-compliant'));
    await setLabPostgresSettings(target, { log_connections: 'receipt' });
    const receipt = (await compare(target))['connection logging'];
    assert.equal(receipt.agrees, false, sides(receipt));
    assert.match(receipt.finding!, /yet the server runs log_connections = 'receipt' \(configuration file\) \(logs receipt\)/);

    await setLabPostgresSettings(target, { log_connections: 'receipt,authentication,authorization' });
    const listed = (await compare(target))['connection logging'];
    assert.equal(listed.agrees, true, sides(listed));
    assert.match(listed.observed, /^log_connections = 'receipt,authentication,authorization' \(configuration file\): logs authentication, authorization, receipt/);
  });
});

describe('MariaDB: audit_log_enabled beside server_audit', () => {
  test('server_audit writing agrees with ON and disagrees with OFF; loaded with server_audit_logging OFF disagrees with ON, and against ON pending a restart is not in force', async () => {
    const server = await startLocalServer('mysql', 'hardened');
    const on = (await compare(bothSides(server, mysqlServerId('mysql-compliant'))))['audit logging'];
    assert.equal(on.agrees, true, sides(on));
    assert.equal(on.configured, 'audit_log_enabled on');
    assert.match(on.observed, /^the audit is writing: server_audit is loaded, server_audit_logging = 'ON' .*Server_audit_active ON/);
    const off = (await compare(bothSides(server, mysqlServerId('mysql-audit-log-off'))))['audit logging'];
    assert.equal(off.agrees, false, sides(off));
    assert.match(off.finding!, /Azure says auditing is off, yet the server's audit is writing: server_audit is loaded/);

    await asMariaDbRoot(server)('SET GLOBAL server_audit_logging = OFF');
    const loadedOnly = (await compare(bothSides(server, mysqlServerId('mysql-compliant'))))['audit logging'];
    assert.equal(loadedOnly.agrees, false, sides(loadedOnly));
    assert.match(loadedOnly.finding!, /Azure says auditing is on, yet the server's audit is not writing: server_audit is loaded, but server_audit_logging = 'OFF'/);
    const pending = (await compare(bothSides(server, mysqlServerId('mysql-audit-log-pending-restart'))))['audit logging'];
    assert.deepEqual([pending.agrees, pending.finding], [undefined, undefined], sides(pending));
    assert.equal(pending.configured, 'audit_log_enabled on (not in force: pending a restart (isConfigPendingRestart True))');
    assert.match(pending.notInEffect!, /^audit_log_enabled ON is pending a restart/);
  });
});

describe('the catalog read', () => {
  test('made once: after audit.connections-logged read the settings, the comparison asks the server nothing more for them', async () => {
    const server = await startLocalServer('postgres', 'hardened');
    let reads = 0;
    const rows = await compare(bothSides(server, pgServerId('pg-compliant')), async (context) => {
      await serverSettings(context);
      const read = context.catalog.read.bind(context.catalog);
      context.catalog.read = (...args) => {
        reads += 1;
        return read(...args);
      };
    });
    assert.equal(reads, 0);
    assert.equal(rows['connection logging'].agrees, true, sides(rows['connection logging']));
  });

  test("asked after the run's context is closed, as the runner asks: read then, and its session closed again", async () => {
    const server = await startLocalServer('postgres', 'hardened');
    const target = bothSides(server, pgServerId('pg-compliant'));
    const context = new TargetContext(target);
    await context.close();
    const comparison = await configurationVsBehaviour(context);
    assert.ok(comparison && 'rows' in comparison, JSON.stringify(comparison));
    assert.equal(comparison.rows.find((row) => row.aspect === 'connection logging')?.agrees, true, JSON.stringify(comparison.rows));
    // The server ends a backend a moment after its client leaves: poll, bounded.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [{ sessions }] = await asPostgresAdmin<{ sessions: number }>(server, [`SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE usename = '${target.auditor}'`]);
      if (sessions === 0) break;
      assert.ok(Date.now() < deadline, `${sessions} catalog sessions of ${target.auditor} still open 10 s after the comparison`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  test("refused during the run: the comparison after the run does not try the refused password again (one failed login, not two)", async () => {
    const server = await startLocalServer('postgres', 'hardened');
    const target = bothSides(server, pgServerId('pg-compliant'));
    const logFile = target.logs?.files?.[0];
    assert.ok(logFile, 'the hardened lab server writes a log file');
    rememberAccountPassword(target.name, target.auditor!, 'not-the-auditor-password');
    const failed = async () => (await readFile(logFile, 'utf8')).split('\n').filter((line) => line.includes(`password authentication failed for user "${target.auditor}"`)).length;
    const before = await failed();
    const context = new TargetContext(target);
    // A check of the run that reads the catalog, but not the settings (access.app-not-superuser, say).
    await assert.rejects(context.catalog.read('the roles', (session) => session.query('SELECT rolname FROM pg_roles')), /cannot log in as/);
    await context.close();
    const comparison = await configurationVsBehaviour(context);
    assert.ok(comparison && 'rows' in comparison, JSON.stringify(comparison));
    const row = comparison.rows.find((entry) => entry.aspect === 'connection logging')!;
    assert.equal(row.agrees, undefined, sides(row));
    assert.match(row.observed, /^not known: the server's settings could not be read \(cannot log in as/);
    // The log line of a refused login is written as the backend ends: poll, bounded, then make sure no second one follows.
    const deadline = Date.now() + 10_000;
    while ((await failed()) - before < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal((await failed()) - before, 1, 'the refused auditor password was tried once in the run, and not again by the comparison');
  });

  test('refused: the logging rows are not known, saying why, never an agreement', async () => {
    const server = await startLocalServer('postgres', 'hardened');
    const target = bothSides(server, pgServerId('pg-compliant'));
    rememberAccountPassword(target.name, target.auditor!, 'not-the-auditor-password');
    const rows = await compare(target);
    for (const aspect of ['connection logging', 'audit logging']) {
      assert.equal(rows[aspect].agrees, undefined, sides(rows[aspect]));
      assert.match(rows[aspect].observed, /^not known: the server's settings could not be read \(cannot log in as "[^"]+" with its password to read the catalog/);
    }
  });
});
