/**
 * Function grants, dblink's functions and foreign servers with their user mappings are kept per
 * database: one in a database other than the catalog session's serves the application as well.
 * Seen on lab 15: a PUBLIC user mapping to this host as postgres (password_required 'false') in
 * another database; the application connected there and set its own rolsuper through a foreign
 * table over pg_authid, while access.app-not-superuser and access.least-privilege both passed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, sqlText } from '../../../src/lab/fixture-accounts.js';
import { randomPassword, scramSha256Verifier } from '../../../src/lab/password-verifiers.js';
import { rememberAccountPassword } from '../../../src/targets/secret-store.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

/** One statement as the application, over TLS with its password, in `database`. */
async function asApplicationIn(server: LocalServer, database: string, statement: string): Promise<void> {
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database, ssl: { ca: await readFile(server.caFile, 'utf8') } });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const appNotSuperuserOn = async (target: Target) => (await decideCheck(appNotSuperuser, target)).decision;

test('a PUBLIC user mapping to this host as postgres, and EXECUTE on dblink_connect_u, in another database the application may connect to, fail access.app-not-superuser; in one it may not, they are not counted', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    // A superuser reads: it sees every mapping's options.
    const inspector = { user: 'inspector', password: randomPassword() };
    await asAdmin(server, [`CREATE ROLE ${inspector.user} LOGIN SUPERUSER PASSWORD ${sqlText(scramSha256Verifier(inspector.password))}`, 'CREATE DATABASE other', 'CREATE DATABASE closed']);
    const target = { ...targetForLocalServer('pg-other-databases', server, 'baseline'), auditor: inspector.user };
    rememberAccountPassword(target.name, inspector.user, inspector.password);
    const clean = await appNotSuperuserOn(target);
    assert.equal(clean.verdict, 'passed', clean.reason);
    assert.match(clean.reason, /read in the \d+ other databases? it may connect to \([^)]*\bclosed\b[^)]*\bother\b[^)]*\)/);

    const socket = join(server.workDirectory!, 'socket');
    const mapping = [
      `CREATE SCHEMA own AUTHORIZATION ${APP_USER}`,
      'CREATE EXTENSION postgres_fdw',
      `CREATE SERVER here FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '${socket}', port '${server.port}', dbname 'app')`,
      "CREATE USER MAPPING FOR PUBLIC SERVER here OPTIONS (user 'postgres', password_required 'false')",
      `GRANT USAGE ON FOREIGN SERVER here TO ${APP_USER}`,
    ];
    // In a database the application may not connect to, the mapping serves it nothing.
    await asAdmin(server, ['REVOKE CONNECT ON DATABASE closed FROM PUBLIC']);
    await asAdmin(server, mapping, 'closed');
    const unreachable = await appNotSuperuserOn(target);
    assert.equal(unreachable.verdict, 'passed', unreachable.reason);
    assert.doesNotMatch(unreachable.reason, /\bclosed\b/);

    await asAdmin(server, mapping, 'other');
    const decision = await appNotSuperuserOn(target);
    // What the judgement says it may do, it does.
    await asApplicationIn(server, 'other', "CREATE FOREIGN TABLE own.authid (rolname name, rolsuper boolean) SERVER here OPTIONS (schema_name 'pg_catalog', table_name 'pg_authid')");
    await asApplicationIn(server, 'other', `UPDATE own.authid SET rolsuper = true WHERE rolname = '${APP_USER}'`);
    const [{ rolsuper }] = await asAdmin<{ rolsuper: boolean }>(server, [`SELECT rolsuper FROM pg_roles WHERE rolname = '${APP_USER}'`]);
    assert.equal(rolsuper, true);
    await asAdmin(server, [`ALTER ROLE ${APP_USER} NOSUPERUSER`]);
    assert.equal(decision.verdict, 'failed', decision.reason);
    assert.match(decision.reason, /in database "other": may log in as "postgres" through foreign server "here" \(postgres_fdw, USAGE granted to it\) and the user mapping for PUBLIC: password_required 'false'/);
    assert.doesNotMatch(decision.reason, /in database "closed"/);

    await asAdmin(server, ['DROP USER MAPPING FOR PUBLIC SERVER here'], 'other');
    await asAdmin(server, ['CREATE SCHEMA ext', 'CREATE EXTENSION dblink SCHEMA ext', 'GRANT USAGE ON SCHEMA ext TO PUBLIC', `GRANT EXECUTE ON FUNCTION ext.dblink_connect_u(text, text) TO ${APP_USER}`], 'other');
    const dblink = await appNotSuperuserOn(target);
    assert.equal(dblink.verdict, 'failed', dblink.reason);
    assert.match(dblink.reason, /in database "other": may EXECUTE ext\.dblink_connect_u\(text, text\), granted to it directly/);
  } finally {
    await server.stop();
  }
});
