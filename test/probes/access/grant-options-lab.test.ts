/**
 * access.least-privilege and PostgreSQL's grant options, on real servers: a role that may pass a
 * right on (WITH GRANT OPTION on an object it does not own, WITH ADMIN OPTION on a role, or through
 * default privileges) fails, named with the object, as does CREATE granted to PUBLIC on a schema
 * other than public (every role may then plant objects in another owner's schema); and rights
 * granted in another database than the target's. On the machine's PostgreSQL and on the oldest
 * and newest pinned builds.
 *
 * Also rights a role reaches through another: by SET ROLE where it does not inherit (NOINHERIT, or
 * from 16 a membership WITH INHERIT FALSE), and through predefined pg_* roles granted CREATE, grant
 * options or an ADMIN option; and what the shared catalogs grant: CREATE on another owner's
 * database and (15+) grants on parameters. Each passed on a real server before (a declared role's
 * rights were exempt and a member's path through it unread; pg_* grantees and pg_parameter_acl
 * were not read).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, AUDITOR_USER, LOCKOUT_USER, MASKED_ROLE } from '../../../src/lab/fixture-accounts.js';
import { leastPrivilegeOn } from '../../support/decide-check.js';
import { labPostgresMajors } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

for (const { major, skip, versionOption } of labPostgresMajors()) {
  describe(`PostgreSQL ${major}`, { skip }, () => {
    test('grant and admin options held on what another role owns fail, named with the object; so does CREATE for PUBLIC on a schema other than public', async () => {
      const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...versionOption });
      try {
        const target = targetForLocalServer(`pg${major}-grant-options`, server, 'baseline');
        const clean = await leastPrivilegeOn(target);
        assert.equal(clean.verdict, 'passed', clean.reason);
        assert.match(clean.reason, /read in the target's database and 2 other databases that accept connections \(postgres, template1\)/);

        // The masked role may pass its column read on, and does: the option is a real right.
        await asAdmin(server, [`GRANT SELECT (id, email) ON public.customers TO ${MASKED_ROLE} WITH GRANT OPTION`]);
        await asPostgresAccount(server, `GRANT SELECT (email) ON public.customers TO ${LOCKOUT_USER}`, { user: MASKED_ROLE, password: server.accounts!.masked.password });
        const column = await leastPrivilegeOn(target);
        assert.equal(column.verdict, 'failed', column.reason);
        assert.match(column.reason, new RegExp(`${MASKED_ROLE} \\(GRANT OPTION for SELECT on column customers\\.email owned by another role, GRANT OPTION for SELECT on column customers\\.id owned by another role\\)`));
        assert.doesNotMatch(column.reason, new RegExp(`${LOCKOUT_USER} \\(`), 'a grant without the option is not a finding');
        await asAdmin(server, [`REVOKE SELECT (id, email) ON public.customers FROM ${MASKED_ROLE} CASCADE`]);

        await asAdmin(server, [
          'CREATE ROLE report_readers NOLOGIN',
          `GRANT report_readers TO ${AUDITOR_USER} WITH ADMIN OPTION`,
          `ALTER DEFAULT PRIVILEGES FOR ROLE ${APP_USER} IN SCHEMA public GRANT SELECT ON TABLES TO ${LOCKOUT_USER} WITH GRANT OPTION`,
          `CREATE SCHEMA reporting AUTHORIZATION ${APP_USER}`,
          'GRANT CREATE ON SCHEMA reporting TO PUBLIC',
        ]);
        const options = await leastPrivilegeOn(target);
        assert.equal(options.verdict, 'failed', options.reason);
        assert.match(options.reason, new RegExp(`${AUDITOR_USER} \\(ADMIN OPTION on role report_readers \\(may grant it to others\\)\\)`));
        assert.match(options.reason, new RegExp(`${LOCKOUT_USER} \\(GRANT OPTION for SELECT on default privileges of ${APP_USER} on new tables in schema public owned by another role\\)`));
        assert.match(options.reason, /PUBLIC \(every role\) \(CREATE on schema reporting owned by another role\)/);

        // Schemas, functions and their grants are per database: what another database grants counts, named with it.
        await asAdmin(server, ['CREATE DATABASE sales']);
        await asAdmin(server, [`GRANT EXECUTE ON FUNCTION pg_read_file(text) TO ${APP_USER}`, `CREATE SCHEMA ledger AUTHORIZATION postgres`, `GRANT CREATE ON SCHEMA ledger TO ${MASKED_ROLE}`], 'sales');
        const elsewhere = await leastPrivilegeOn(target);
        assert.equal(elsewhere.verdict, 'failed', elsewhere.reason);
        assert.match(elsewhere.reason, new RegExp(`${APP_USER} \\(EXECUTE on pg_read_file\\(text\\) \\(reads server files as text\\) in database "sales"\\)`));
        assert.match(elsewhere.reason, new RegExp(`${MASKED_ROLE} \\(CREATE on schema ledger owned by another role in database "sales"\\)`));

        // Declared accounts pass, with the exception shown; PUBLIC cannot be declared away.
        const declared = await leastPrivilegeOn({ ...target, allow: { ...target.allow, privileged: [AUDITOR_USER, LOCKOUT_USER] } });
        assert.equal(declared.verdict, 'failed', declared.reason);
        assert.doesNotMatch(declared.reason, new RegExp(`${AUDITOR_USER} \\(`));
        assert.match(declared.reason, /PUBLIC \(every role\)/);
      } finally {
        await server.stop();
      }
    });

    test('rights reached through SET ROLE and through predefined roles, CREATE on databases and parameter grants fail, named with the path', async () => {
      const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...versionOption });
      try {
        const base = targetForLocalServer(`pg${major}-role-reach`, server, 'baseline');
        // The provisioning role is declared: its own rights are accepted, not a member's way to them.
        const target = { ...base, allow: { ...base.allow, privileged: ['ops'] } };
        const clean = await leastPrivilegeOn(target);
        assert.equal(clean.verdict, 'passed', clean.reason);
        assert.match(clean.reason, /also read: rights of every role a role may SET ROLE to or inherits \(NOINHERIT memberships included/);
        assert.match(clean.reason, major >= 15 ? /parameter grants \(pg_parameter_acl/ : /no parameter grants \(PostgreSQL before 15 has none\)/);

        await asAdmin(server, [`ALTER ROLE ${APP_USER} NOINHERIT`, 'CREATE ROLE ops NOLOGIN CREATEROLE', `GRANT ops TO ${APP_USER}`]);
        // From 16 a membership may allow inheritance without SET ROLE: then the attribute is out of reach.
        if (major >= 16) await asAdmin(server, [`GRANT ops TO ${LOCKOUT_USER} WITH INHERIT TRUE, SET FALSE`]);
        const setRole = await leastPrivilegeOn(target);
        assert.equal(setRole.verdict, 'failed', setRole.reason);
        assert.match(setRole.reason, new RegExp(`${APP_USER} \\(CREATEROLE through SET ROLE to ops\\)`));
        assert.doesNotMatch(setRole.reason, /[:;] ops \(/, 'ops itself is declared');
        assert.doesNotMatch(setRole.reason, new RegExp(`${LOCKOUT_USER} \\(`), 'inheritance alone gives no attribute');
        // NOINHERIT does not stop SET ROLE: the application creates a role as ops.
        await asPostgresAccount(server, 'SET ROLE ops; CREATE ROLE made_by_app NOLOGIN');
        await asAdmin(server, ['DROP ROLE made_by_app', 'DROP ROLE ops', `ALTER ROLE ${APP_USER} INHERIT`]);

        // A predefined role granted CREATE, a grant option and an ADMIN option hands them to its members (pg_monitor holds pg_read_all_stats).
        await asAdmin(server, [
          'CREATE SCHEMA ledger AUTHORIZATION postgres',
          'CREATE TABLE ledger.entries (id integer)',
          'GRANT USAGE, CREATE ON SCHEMA ledger TO pg_monitor',
          'GRANT SELECT ON ledger.entries TO pg_read_all_stats WITH GRANT OPTION',
          'CREATE ROLE finance NOLOGIN',
          'GRANT finance TO pg_monitor WITH ADMIN OPTION',
          `GRANT pg_monitor TO ${APP_USER}`,
        ]);
        await asPostgresAccount(server, 'CREATE TABLE ledger.planted (id integer)');
        const predefined = await leastPrivilegeOn(target);
        assert.equal(predefined.verdict, 'failed', predefined.reason);
        assert.match(predefined.reason, /CREATE on schema ledger owned by another role through role pg_monitor/);
        assert.match(predefined.reason, /GRANT OPTION for SELECT on table ledger\.entries owned by another role through role pg_read_all_stats/);
        assert.match(predefined.reason, /ADMIN OPTION on role finance \(may grant it to others\) through role pg_monitor/);
        await asAdmin(server, ['DROP SCHEMA ledger CASCADE', 'DROP ROLE finance', `REVOKE pg_monitor FROM ${APP_USER}`]);

        // CREATE on a database another role owns: schemas there, one named after another role among them.
        await asAdmin(server, [`GRANT CREATE ON DATABASE postgres TO ${APP_USER}`, 'GRANT CREATE ON DATABASE template1 TO PUBLIC']);
        const databases = await leastPrivilegeOn(target);
        assert.equal(databases.verdict, 'failed', databases.reason);
        assert.match(databases.reason, new RegExp(`${APP_USER} \\(CREATE on database postgres owned by another role \\(creates schemas in it\\)\\)`));
        assert.match(databases.reason, /PUBLIC \(every role\) \(CREATE on database template1 owned by another role/);
        await asAdmin(server, [`REVOKE CREATE ON DATABASE postgres FROM ${APP_USER}`, 'REVOKE CREATE ON DATABASE template1 FROM PUBLIC']);

        if (major >= 15) {
          await asAdmin(server, [
            `GRANT ALTER SYSTEM ON PARAMETER archive_command TO ${APP_USER}`,
            `GRANT SET ON PARAMETER log_statement TO ${APP_USER}`,
            // work_mem is every role's to set: the grant gives nothing.
            `GRANT SET ON PARAMETER work_mem TO ${MASKED_ROLE}`,
          ]);
          // A superuser-only setting, set by the application for its own session: its statements go unlogged.
          await asPostgresAccount(server, "SET log_statement = 'none'");
          const parameters = await leastPrivilegeOn(target);
          assert.equal(parameters.verdict, 'failed', parameters.reason);
          assert.match(parameters.reason, new RegExp(`${APP_USER} \\(ALTER SYSTEM on parameter archive_command \\(writes it for the whole server into postgresql\\.auto\\.conf\\), SET on parameter log_statement \\(sets what only a superuser may`));
          assert.doesNotMatch(parameters.reason, new RegExp(`${MASKED_ROLE} \\(`), 'SET on a parameter every role may set is no finding');
          await asAdmin(server, [
            `REVOKE ALTER SYSTEM ON PARAMETER archive_command FROM ${APP_USER}`,
            `REVOKE SET ON PARAMETER log_statement FROM ${APP_USER}`,
            `REVOKE SET ON PARAMETER work_mem FROM ${MASKED_ROLE}`,
          ]);
        }

        const undone = await leastPrivilegeOn(target);
        assert.equal(undone.verdict, 'passed', undone.reason);
      } finally {
        await server.stop();
      }
    });
  });
}
