/**
 * audit.audit-extension and audit.connections-logged against settings set per role or per database
 * (ALTER ROLE / ALTER DATABASE ... SET), on a real server: the auditor's session sees only the
 * value that applies to itself, so an override for the application role, for another database,
 * or for the auditor itself must not leave the server-wide reading to pass.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, AUDITOR_USER } from '../../../src/lab/fixture-accounts.js';
import { auditExtension } from '../../../src/probes/audit/audit-extension.js';
import { connectionsLogged } from '../../../src/probes/audit/connections-logged.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin, reloadLabPostgres } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

async function decided(check: typeof auditExtension | typeof connectionsLogged, target: Target) {
  return (await decideCheck(check, target)).decision;
}

/** Waits up to 3 s for the server's log to hold `text` (it is copied from the server's output as it comes). */
async function logHolds(server: LocalServer, text: string): Promise<boolean> {
  for (const deadline = Date.now() + 3000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (server.serverLog!().includes(text)) return true;
  }
  return false;
}

test('per-role and per-database overrides of pgaudit.log and log_min_messages fail; an override of the reader hides the server value', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-setting-overrides', server, 'baseline');
    const clean = await decided(auditExtension, target);
    assert.equal(clean.verdict, 'passed', clean.reason);
    assert.match(clean.reason, /no per-role or per-database override/);
    assert.equal((await decided(connectionsLogged, target)).verdict, 'passed');

    // The application role audits nothing: its DDL leaves no AUDIT line, while the server-wide value still reads 'ddl, role'.
    await asAdmin(server, [`ALTER ROLE ${APP_USER} SET pgaudit.log = 'none'`]);
    const table = `unaudited_${randomBytes(4).toString('hex')}`;
    await asPostgresAccount(server, `CREATE TABLE ${table} (id int)`);
    assert.equal(await logHolds(server, table), false, 'the application role\'s DDL was audited after all');
    const roleOverride = await decided(auditExtension, target);
    assert.equal(roleOverride.verdict, 'failed', roleOverride.reason);
    assert.match(roleOverride.reason, new RegExp(`pgaudit.log = 'none' for role ${APP_USER} \\(ALTER ROLE/DATABASE \\.\\.\\. SET\\): it audits nothing there`));
    await asAdmin(server, [`ALTER ROLE ${APP_USER} RESET pgaudit.log`]);
    // Without the override the same DDL is audited: the log does carry pgaudit's lines.
    await asPostgresAccount(server, `CREATE TABLE ${table}_audited (id int)`);
    assert.equal(await logHolds(server, `${table}_audited`), true, 'pgaudit wrote no line for the DDL even without the override');

    // The application role's sessions keep FATAL and worse only: pgaudit's LOG lines for it never reach the log.
    await asAdmin(server, [`ALTER ROLE ${APP_USER} SET log_min_messages = 'fatal'`]);
    await asPostgresAccount(server, `CREATE TABLE ${table}_quiet (id int)`);
    assert.equal(await logHolds(server, `${table}_quiet`), false, 'the DDL reached the log after all');
    const levelOverride = await decided(auditExtension, target);
    assert.equal(levelOverride.verdict, 'failed', levelOverride.reason);
    assert.match(levelOverride.reason, new RegExp(`its lines never reach the log: pgaudit's lines \\(written at LOG\\) below log_min_messages = 'fatal' for role ${APP_USER}`));
    await asAdmin(server, [`ALTER ROLE ${APP_USER} RESET log_min_messages`]);

    // Sessions in database postgres drop every LOG line, their disconnections among them.
    await asAdmin(server, ["ALTER DATABASE postgres SET log_min_messages = 'panic'"]);
    const databaseOverride = await decided(connectionsLogged, target);
    assert.equal(databaseOverride.verdict, 'failed', databaseOverride.reason);
    assert.match(databaseOverride.reason, /log_min_messages = 'panic' in database postgres \(ALTER ROLE\/DATABASE \.\.\. SET\) drops LOG lines/);
    await asAdmin(server, ['ALTER DATABASE postgres RESET log_min_messages']);

    // The server audits nothing, but the auditor's own sessions do: what it reads is not the server's value.
    await reloadLabPostgres(server, ["ALTER SYSTEM SET pgaudit.log = 'none'", `ALTER ROLE ${AUDITOR_USER} SET pgaudit.log = 'ddl'`]);
    const readerOverride = await decided(auditExtension, target);
    assert.equal(readerOverride.verdict, 'undecided', readerOverride.reason);
    assert.match(readerOverride.reason, /pgaudit.log = 'ddl' \(user\) is an override of its own, so the server-wide value is not visible/);
  } finally {
    await server.stop();
  }
});
