/**
 * access.app-not-superuser and what PostgreSQL keeps per database, on the machine's PostgreSQL and
 * the oldest and newest pinned builds (app-not-superuser-other-databases-lab covers lab 15, through
 * a superuser auditor): EXECUTE on lo_export granted in another database the application may
 * connect to, which it uses from there to write a file of its choosing, fails naming the database;
 * without CONNECT there it is not counted; a database it may connect to that the lab's auditor may
 * not read is undecided, naming it; dblink_connect_u and a foreign server's user mapping there count
 * as in its own.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER } from '../../../src/lab/fixture-accounts.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { labPostgresMajors } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

const appNotSuperuserOn = async (target: Target) => (await decideCheck(appNotSuperuser, target)).decision;

/** One statement as the application, over TLS with its own password, in `database`. */
const asApplicationIn = <Row extends pg.QueryResultRow>(server: LocalServer, database: string, statement: string) => asPostgresAccount<Row>(server, statement, undefined, database);

for (const lab of labPostgresMajors()) {
  const { major, skip } = lab;
  describe(`PostgreSQL ${major}`, { skip }, () => {
    let server: LocalServer;
    let target: Target;
    before(async () => {
      server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
      target = targetForLocalServer(`pg${major}-app-databases`, server, 'baseline');
      await asAdmin(server, ['CREATE DATABASE ops', 'CREATE DATABASE hr']);
    });
    after(() => server?.stop());

    test('a pass counts the other databases the application may connect to', async () => {
      const clean = await appNotSuperuserOn(target);
      assert.equal(clean.verdict, 'passed', clean.reason);
      assert.match(clean.reason, /read in the 4 other databases it may connect to \(hr, ops, postgres, template1\)/);
    });

    test('EXECUTE on lo_export in another database it may connect to fails, naming the database; without CONNECT there it is not counted', async () => {
      // From ops the application writes a file of its choosing into the data directory.
      await asAdmin(server, [`GRANT EXECUTE ON FUNCTION lo_export(oid, text) TO ${APP_USER}`], 'ops');
      try {
        const [{ lo }] = await asApplicationIn<{ lo: number }>(server, 'ops', "SELECT lo_from_bytea(0, 'written by the application') AS lo");
        await asApplicationIn(server, 'ops', `SELECT lo_export(${Number(lo)}, 'written-by-application')`);
        const [{ size }] = await asAdmin<{ size: string }>(server, ["SELECT (pg_stat_file('written-by-application')).size::text AS size"]);
        assert.equal(Number(size), 'written by the application'.length);
        const elsewhere = await appNotSuperuserOn(target);
        assert.equal(elsewhere.verdict, 'failed', elsewhere.reason);
        assert.match(elsewhere.reason, /has superuser power: in database "ops": may EXECUTE lo_export\(oid,text\), granted to it directly \(writes a large object of its choosing/);

        // Without CONNECT on ops the grant there is out of its reach: not counted, and the pass says so.
        await asAdmin(server, ['REVOKE CONNECT ON DATABASE ops FROM PUBLIC']);
        await assert.rejects(asApplicationIn(server, 'ops', 'SELECT 1'), /permission denied for database "ops"|not have CONNECT privilege/);
        const noConnect = await appNotSuperuserOn(target);
        assert.equal(noConnect.verdict, 'passed', noConnect.reason);
        assert.match(noConnect.reason, /read in the 3 other databases it may connect to \(hr, postgres, template1\)/);
      } finally {
        await asAdmin(server, ['GRANT CONNECT ON DATABASE ops TO PUBLIC', `REVOKE EXECUTE ON FUNCTION lo_export(oid, text) FROM ${APP_USER}`], 'ops');
      }
    });

    test('a database the application may connect to but the auditor may not read is undecided, named', async () => {
      await asAdmin(server, ['REVOKE CONNECT ON DATABASE hr FROM PUBLIC', `GRANT CONNECT ON DATABASE hr TO ${APP_USER}`]);
      try {
        const unreadable = await appNotSuperuserOn(target);
        assert.equal(unreadable.verdict, 'undecided', unreadable.reason);
        assert.match(unreadable.reason, /database "hr", which it may connect to, could not be read \(/);
      } finally {
        await asAdmin(server, ['GRANT CONNECT ON DATABASE hr TO PUBLIC']);
      }
    });

    test("dblink_connect_u and a foreign server's user mapping in another database count there", async () => {
      await asAdmin(server, ['CREATE SCHEMA ext', 'CREATE EXTENSION dblink SCHEMA ext', 'GRANT USAGE ON SCHEMA ext TO PUBLIC', `GRANT EXECUTE ON FUNCTION ext.dblink_connect_u(text, text) TO ${APP_USER}`], 'hr');
      const dblink = await appNotSuperuserOn(target);
      assert.equal(dblink.verdict, 'failed', dblink.reason);
      assert.match(dblink.reason, /in database "hr": may EXECUTE ext\.dblink_connect_u\(text, text\), granted to it directly \(dblink's connection without its password checks/);
      await asAdmin(server, [
        `REVOKE EXECUTE ON FUNCTION ext.dblink_connect_u(text, text) FROM ${APP_USER}`,
        'CREATE EXTENSION postgres_fdw SCHEMA ext',
        "CREATE SERVER here FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'hr')",
        `GRANT USAGE ON FOREIGN SERVER here TO ${APP_USER}`,
        "CREATE USER MAPPING FOR PUBLIC SERVER here OPTIONS (user 'postgres', password_required 'false')",
      ], 'hr');
      // The lab's auditor may not see a PUBLIC mapping's options: undecided, named with its database.
      const mapping = await appNotSuperuserOn(target);
      assert.equal(mapping.verdict, 'undecided', mapping.reason);
      assert.match(mapping.reason, /through what another database keeps could not be decided: in database "hr": foreign server "here" \(postgres_fdw, USAGE granted to it\) and the user mapping for PUBLIC: the reading account may not see the mapping's options/);
    });
  });
}
