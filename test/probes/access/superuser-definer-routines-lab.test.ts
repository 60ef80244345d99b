/**
 * access.app-not-superuser and superusers' SECURITY DEFINER routines the application may run, on
 * real servers: the lab variant's public.run_statement(text) (PL/pgSQL, EXECUTE $1) made the
 * application a superuser while the control passed (only access.least-privilege failed). Now a
 * routine whose EXECUTE runs its caller's text fails, in any database the application may connect
 * to; a trigger function that runs its TG_ARGV fails too; a routine whose text cannot show it
 * harmless is undecided (a LANGUAGE sql body without dynamic SQL among them: shown here hijacked
 * through the caller's search_path); a BEGIN ATOMIC SQL body bound to pg_catalog (14+) and a routine
 * the application may not run pass. The body never reaches the evidence. On the machine's
 * PostgreSQL and the oldest and newest pinned builds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, DEFINER_ROUTINE } from '../../../src/lab/fixture-accounts.js';
import { postgresWeakeningStatements } from '../../../src/lab/postgres-accounts.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { labPostgresMajors } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

/** A marker in every body: the evidence must never carry a body (one may hold a password). */
const MARKER = 'body-marker-7f3a';

for (const lab of labPostgresMajors()) {
  const { major, skip } = lab;
  describe(`PostgreSQL ${major}`, { skip }, () => {
    let server: LocalServer;
    let target: Target;
    const decide = async () => {
      const outcome = await decideCheck(appNotSuperuser, target);
      assert.ok(!JSON.stringify(outcome.evidence ?? {}).includes(MARKER), 'a routine body reached the evidence');
      return outcome.decision;
    };
    /** Makes the application a superuser through `statement` (as it), checks that it worked, and undoes it. */
    const becomesSuperuser = async (statement: string) => {
      await asPostgresAccount(server, statement);
      const [{ rolsuper }] = await asAdmin<{ rolsuper: boolean }>(server, [`SELECT rolsuper FROM pg_roles WHERE rolname = '${APP_USER}'`]);
      assert.equal(rolsuper, true);
      await asAdmin(server, [`ALTER ROLE ${APP_USER} NOSUPERUSER`]);
    };
    before(async () => {
      server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
      target = targetForLocalServer(`pg${major}-superuser-definer`, server, 'baseline');
      // The application's own schema (before 15 schema public is postgres's, and the lab lets nobody else create there).
      await asAdmin(server, [`CREATE SCHEMA own AUTHORIZATION ${APP_USER}`, 'CREATE DATABASE hr']);
    });
    after(() => server?.stop());

    test('a pass says how many such routines it may run, in each database', async () => {
      const clean = await decide();
      assert.equal(clean.verdict, 'passed', clean.reason);
      assert.match(clean.reason, /SECURITY DEFINER routines of superusers that it may EXECUTE, itself, through PUBLIC or a role it reaches, in database "app": 0/);
    });

    test("the lab variant's routine, which runs any statement it is given, fails, here and in another database", async () => {
      const [statement] = postgresWeakeningStatements(['superuser-definer-routine'], major);
      await asAdmin(server, [statement.replace('BEGIN', `BEGIN -- ${MARKER}\n`)]);
      try {
        const decided = await decide();
        assert.equal(decided.verdict, 'failed', decided.reason);
        assert.match(decided.reason, new RegExp(`public\\.${DEFINER_ROUTINE}\\(text\\), a SECURITY DEFINER routine \\(LANGUAGE plpgsql\\) of superuser "postgres" that it may EXECUTE, granted to PUBLIC: its EXECUTE runs the text of its parameter \\$1 as given`));
        await becomesSuperuser(`SELECT public.${DEFINER_ROUTINE}('ALTER ROLE ${APP_USER} SUPERUSER')`);

        // Not executable by the application (nor PUBLIC): nothing to run, nothing counted.
        await asAdmin(server, [`REVOKE EXECUTE ON FUNCTION public.${DEFINER_ROUTINE}(text) FROM PUBLIC`]);
        const revoked = await decide();
        assert.equal(revoked.verdict, 'passed', revoked.reason);
      } finally {
        await asAdmin(server, [`DROP FUNCTION public.${DEFINER_ROUTINE}(text)`]);
      }
      await asAdmin(server, [statement], 'hr');
      try {
        const elsewhere = await decide();
        assert.equal(elsewhere.verdict, 'failed', elsewhere.reason);
        assert.match(elsewhere.reason, new RegExp(`in database "hr": public\\.${DEFINER_ROUTINE}\\(text\\), a SECURITY DEFINER routine`));
      } finally {
        await asAdmin(server, [`DROP FUNCTION public.${DEFINER_ROUTINE}(text)`], 'hr');
      }
    });

    test('a trigger function that runs its trigger argument fails: the application fires it from a table of its own', async () => {
      await asAdmin(server, [`CREATE FUNCTION public.run_argument() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN /* ${MARKER} */ EXECUTE TG_ARGV[0]; RETURN NEW; END $$`]);
      try {
        const decided = await decide();
        assert.equal(decided.verdict, 'failed', decided.reason);
        assert.match(decided.reason, /public\.run_argument\(\), a SECURITY DEFINER trigger function \(LANGUAGE plpgsql\) of superuser "postgres" that it may EXECUTE, granted to PUBLIC \(it may attach it to a table it owns, with arguments of its choosing, and fire it with rows it writes\): its EXECUTE runs the text of its trigger argument TG_ARGV\[0\]/);
        await becomesSuperuser(
          `CREATE TABLE own.events (id int); CREATE TRIGGER escalate BEFORE INSERT ON own.events FOR EACH ROW EXECUTE ${major >= 11 ? 'FUNCTION' : 'PROCEDURE'} public.run_argument('ALTER ROLE ${APP_USER} SUPERUSER'); INSERT INTO own.events VALUES (1)`,
        );
      } finally {
        await asAdmin(server, ['DROP FUNCTION public.run_argument() CASCADE', 'DROP TABLE IF EXISTS own.events']);
      }
    });

    test('a LANGUAGE sql routine without dynamic SQL is undecided, not passed: its names resolve through the caller\'s search_path', async () => {
      await asAdmin(server, [`CREATE FUNCTION public.lowered(text) RETURNS text LANGUAGE sql SECURITY DEFINER AS $$ SELECT lower($1) -- ${MARKER}\n$$`]);
      try {
        const decided = await decide();
        assert.equal(decided.verdict, 'undecided', decided.reason);
        assert.match(decided.reason, /superuser's SECURITY DEFINER routine could not be decided: public\.lowered\(text\), a SECURITY DEFINER routine \(LANGUAGE sql\) of superuser "postgres" that it may EXECUTE, granted to PUBLIC: its names are resolved when it runs/);
        // Why it cannot pass: the application's own lower(text), first on its search_path, runs inside it as postgres.
        await asPostgresAccount(server, `CREATE FUNCTION own.lower(text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'ALTER ROLE ${APP_USER} SUPERUSER'; RETURN $1; END $$`);
        await becomesSuperuser("SET search_path = own, pg_catalog; SELECT public.lowered('X')");
      } finally {
        await asAdmin(server, ['DROP FUNCTION public.lowered(text)', 'DROP FUNCTION IF EXISTS own.lower(text)']);
      }
    });

    test('dynamic SQL not traced to the caller (quote_ident) is undecided', async () => {
      await asAdmin(server, [`CREATE FUNCTION public.analyze_table(target text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ BEGIN EXECUTE 'ANALYZE ' || quote_ident(target); /* ${MARKER} */ END $$`]);
      try {
        const decided = await decide();
        assert.equal(decided.verdict, 'undecided', decided.reason);
        assert.match(decided.reason, /public\.analyze_table\(target text\), a SECURITY DEFINER routine \(LANGUAGE plpgsql\) .*: it runs dynamic SQL \(EXECUTE\) whose text was not traced to a constant/);
      } finally {
        await asAdmin(server, ['DROP FUNCTION public.analyze_table(text)']);
      }
    });

    if (major >= 14) {
      test('a BEGIN ATOMIC SQL body bound to pg_catalog passes, named as not counted; one calling lo_export is undecided', async () => {
        await asAdmin(server, ['CREATE FUNCTION public.my_sessions() RETURNS bigint LANGUAGE sql SECURITY DEFINER BEGIN ATOMIC SELECT count(*) FROM pg_stat_activity WHERE usename = current_user; END']);
        try {
          const decided = await decide();
          assert.equal(decided.verdict, 'passed', decided.reason);
          assert.match(decided.reason, /in database "app": 1 \(not counted: public\.my_sessions\(\) \(a BEGIN ATOMIC SQL body bound when created, depending on pg_catalog only\)\)/);
          await asAdmin(server, ['CREATE FUNCTION public.export(oid, text) RETURNS integer LANGUAGE sql SECURITY DEFINER BEGIN ATOMIC SELECT lo_export($1, $2); END']);
          const exporting = await decide();
          assert.equal(exporting.verdict, 'undecided', exporting.reason);
          assert.match(exporting.reason, /public\.export\(oid, text\), .*: it calls lo_export, which run a query string or reach the server's files or settings as "postgres"/);
        } finally {
          await asAdmin(server, ['DROP FUNCTION public.my_sessions()', 'DROP FUNCTION IF EXISTS public.export(oid, text)']);
        }
      });
    }
  });
}
