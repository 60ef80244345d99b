/**
 * access.least-privilege and rights a PostgreSQL role reaches through another: by SET ROLE where it
 * does not inherit (NOINHERIT, or from 16 a membership WITH INHERIT FALSE), and through predefined
 * pg_* roles that were granted CREATE, grant options or an ADMIN option; and rights the shared
 * catalogs grant: CREATE on another owner's database and (15+) grants on parameters. Each passed
 * on a real server before (the declared role's rights were exempt, and the member's path through
 * it unread; pg_* grantees and pg_parameter_acl were not read). On the machine's PostgreSQL and on
 * the oldest and newest pinned builds.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { leastPrivilege } from '../../../src/probes/access/least-privilege.js';
import { APP_USER, LOCKOUT_USER, MASKED_ROLE } from '../../../src/lab/fixture-accounts.js';
import { SYSTEM_POSTGRES_MAJOR } from '../../../src/lab/postgres-versions.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { postgresVersionAvailability } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

async function leastPrivilegeOn(target: Target) {
  return (await decideCheck(leastPrivilege, target)).decision;
}

const availability = postgresVersionAvailability();

for (const major of [SYSTEM_POSTGRES_MAJOR, 13, 18]) {
  const skip = major !== SYSTEM_POSTGRES_MAJOR && !availability.present.includes(major) ? availability.message ?? `PostgreSQL ${major} is not pinned` : undefined;
  const versionOption = major === SYSTEM_POSTGRES_MAJOR ? {} : { postgresVersion: major };

  describe(`PostgreSQL ${major}`, { skip }, () => {
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
