/**
 * access.app-not-superuser and what makes a PostgreSQL role a superuser in all but name, on real
 * servers (the machine's 15, the oldest and newest pinned builds): membership in pg_execute_server_program,
 * pg_write_server_files or pg_read_server_files, held directly or through a role, or an ADMIN OPTION
 * on one; and before 16 CREATEROLE, which grants itself any of them. Each passed before (only
 * access.least-privilege named the roles, and CREATEROLE passed on every version). Also 17+'s
 * pg_maintain, which access.least-privilege did not count.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER } from '../../../src/lab/fixture-accounts.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck, leastPrivilegeOn } from '../../support/decide-check.js';
import { labPostgresMajors, type LabPostgresMajor } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

const appNotSuperuserOn = async (target: Target) => (await decideCheck(appNotSuperuser, target)).decision;

/** Runs `work` on a fresh hardened lab server of one PostgreSQL major, and stops it. */
async function onHardened(lab: LabPostgresMajor, name: string, work: (server: LocalServer, target: Target) => Promise<void>): Promise<void> {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
  try {
    await work(server, targetForLocalServer(`pg${lab.major}-${name}`, server, 'baseline'));
  } finally {
    await server.stop();
  }
}

for (const lab of labPostgresMajors()) {
  const { major, skip } = lab;
  describe(`PostgreSQL ${major}`, { skip }, () => {
    test('the predefined roles that reach the host, held directly, through a role or by ADMIN OPTION, fail access.app-not-superuser', () =>
      onHardened(lab, 'superuser-equivalents', async (server, target) => {
        const clean = await appNotSuperuserOn(target);
        assert.equal(clean.verdict, 'passed', clean.reason);
        assert.match(clean.reason, /nor what makes a superuser in all but name: membership or ADMIN OPTION in pg_execute_server_program, pg_write_server_files, pg_read_server_files/);

        // Through a role: the program runs as the server's operating-system user.
        await asAdmin(server, ['CREATE ROLE loaders NOLOGIN', 'GRANT pg_execute_server_program TO loaders', `GRANT loaders TO ${APP_USER}`]);
        await asPostgresAccount(server, "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'");
        const program = await appNotSuperuserOn(target);
        assert.equal(program.verdict, 'failed', program.reason);
        assert.match(program.reason, /member of predefined role "pg_execute_server_program" \(runs shell commands as the server's operating-system user/);
        await asAdmin(server, ['DROP ROLE loaders']);

        for (const role of ['pg_write_server_files', 'pg_read_server_files']) {
          await asAdmin(server, [`GRANT ${role} TO ${APP_USER}`]);
          const files = await appNotSuperuserOn(target);
          assert.equal(files.verdict, 'failed', files.reason);
          assert.match(files.reason, new RegExp(`member of predefined role "${role}" \\(`));
          await asAdmin(server, [`REVOKE ${role} FROM ${APP_USER}`]);
        }

        // ADMIN OPTION alone (16+: neither INHERIT nor SET): the application grants the role to itself, then runs a program.
        await asAdmin(server, [`GRANT pg_execute_server_program TO ${APP_USER} WITH ADMIN OPTION${major >= 16 ? ', INHERIT FALSE, SET FALSE' : ''}`]);
        const admin = await appNotSuperuserOn(target);
        assert.equal(admin.verdict, 'failed', admin.reason);
        assert.match(admin.reason, /holds ADMIN OPTION on predefined role "pg_execute_server_program", so may grant it to itself/);
        await asPostgresAccount(server, `GRANT pg_execute_server_program TO ${APP_USER}`);
        await asPostgresAccount(server, "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'");
        await asAdmin(server, [`REVOKE pg_execute_server_program FROM ${APP_USER} CASCADE`]);

        const undone = await appNotSuperuserOn(target);
        assert.equal(undone.verdict, 'passed', undone.reason);
      }),
    );

    test(`CREATEROLE ${major < 16 ? 'fails access.app-not-superuser (it grants itself pg_execute_server_program)' : 'is access.least-privilege\'s only (from 16 it grants only roles held WITH ADMIN OPTION)'}`, () =>
      onHardened(lab, 'createrole', async (server, target) => {
        await asAdmin(server, ['CREATE ROLE provisioners NOLOGIN CREATEROLE', `GRANT provisioners TO ${APP_USER}`]);
        const decision = await appNotSuperuserOn(target);
        const least = await leastPrivilegeOn(target);
        assert.equal(least.verdict, 'failed', least.reason);
        assert.match(least.reason, new RegExp(`${APP_USER} \\(CREATEROLE through SET ROLE to provisioners`));
        const selfGrant = () => asPostgresAccount(server, `SET ROLE provisioners; GRANT pg_execute_server_program TO ${APP_USER}`);
        if (major < 16) {
          await selfGrant();
          await asPostgresAccount(server, "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'");
          assert.equal(decision.verdict, 'failed', decision.reason);
          assert.match(decision.reason, /may SET ROLE to "provisioners", which has CREATEROLE: before PostgreSQL 16 that grants any role that is not a superuser/);
        } else {
          await assert.rejects(selfGrant(), /permission denied to grant role "pg_execute_server_program"/);
          assert.equal(decision.verdict, 'passed', decision.reason);
          assert.match(decision.reason, /CREATEROLE not counted: from PostgreSQL 16 it grants only roles held WITH ADMIN OPTION/);
        }
      }),
    );

    if (major >= 17) {
      test('pg_maintain fails access.least-privilege: the application reindexes a table it was granted nothing on', () =>
        onHardened(lab, 'maintain', async (server, target) => {
          await asAdmin(server, ['CREATE TABLE public.ledger (id integer PRIMARY KEY)']);
          await assert.rejects(asPostgresAccount(server, 'REINDEX TABLE public.ledger'), /must be owner|permission denied/);
          await asAdmin(server, [`GRANT pg_maintain TO ${APP_USER}`]);
          await asPostgresAccount(server, 'REINDEX TABLE public.ledger');
          const least = await leastPrivilegeOn(target);
          assert.equal(least.verdict, 'failed', least.reason);
          assert.match(least.reason, new RegExp(`${APP_USER} \\(pg_maintain \\(vacuums, reindexes, refreshes, clusters and locks every table`));
        }),
      );
    }
  });
}
