/**
 * dblink's functions made outside the extension, from its library: a SECURITY DEFINER copy owned by
 * a superuser skips dblink's password checks as dblink_connect_u does, whatever name the library is
 * given. CREATE FUNCTION takes 'dblink', '$libdir/dblink' or the file's path alike, and the catalog
 * keeps what was written (probin); only '$libdir/dblink' was recognised, so a copy made with
 * AS 'dblink' passed access.app-not-superuser on lab 15 while the application, through it, made
 * itself SUPERUSER.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER } from '../../../src/lab/fixture-accounts.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import { decideCheck, leastPrivilegeOn } from '../../support/decide-check.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

test("a SECURITY DEFINER copy of dblink's connect, made from its library by the name 'dblink', fails access.app-not-superuser and access.least-privilege", async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-dblink-copy', server, 'baseline');
    await asAdmin(server, [
      'CREATE SCHEMA tools',
      'GRANT USAGE ON SCHEMA tools TO PUBLIC',
      "CREATE FUNCTION tools.link(text, text) RETURNS text AS 'dblink', 'dblink_connect' LANGUAGE C STRICT SECURITY DEFINER",
      "CREATE FUNCTION tools.link_exec(text, text) RETURNS text AS 'dblink', 'dblink_exec' LANGUAGE C STRICT SECURITY DEFINER",
      'REVOKE ALL ON FUNCTION tools.link(text, text), tools.link_exec(text, text) FROM PUBLIC',
      `GRANT EXECUTE ON FUNCTION tools.link(text, text), tools.link_exec(text, text) TO ${APP_USER}`,
    ]);
    const decision = (await decideCheck(appNotSuperuser, target)).decision;
    const least = await leastPrivilegeOn(target);
    // What the judgement says it may do, it does: over the Unix socket, where the lab's pg_hba trusts postgres.
    const socket = join(server.workDirectory!, 'socket');
    await asPostgresAccount(server, `SELECT tools.link('su', 'host=${socket} port=${server.port} dbname=app user=postgres'); SELECT tools.link_exec('su', 'ALTER ROLE ${APP_USER} SUPERUSER')`);
    const [{ rolsuper }] = await asAdmin<{ rolsuper: boolean }>(server, [`SELECT rolsuper FROM pg_roles WHERE rolname = '${APP_USER}'`]);
    assert.equal(rolsuper, true);
    await asAdmin(server, [`ALTER ROLE ${APP_USER} NOSUPERUSER`]);
    assert.equal(decision.verdict, 'failed', decision.reason);
    assert.match(decision.reason, /may EXECUTE tools\.link\(text, text\), granted to it directly \(dblink's connection without its password checks/);
    assert.equal(least.verdict, 'failed', least.reason);
    assert.match(least.reason, /EXECUTE on tools\.link\(text, text\)/);
  } finally {
    await server.stop();
  }
});
