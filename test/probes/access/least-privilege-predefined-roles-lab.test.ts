/**
 * access.least-privilege and PostgreSQL's predefined roles over other roles' sessions and the
 * server's resources: pg_signal_backend, pg_checkpoint (15+), pg_create_subscription and
 * pg_use_reserved_connections (16+), pg_signal_autovacuum_worker (18+). Membership in them, held
 * directly, through a role or (16+) by SET ROLE alone, passed before: only the host-reaching,
 * all-data and pg_maintain roles were counted (an ADMIN OPTION on any role was, and still is). Each
 * is now named with the role it comes through; a role the server's version does not have is not
 * asked for (pg_roles says which), and a 16+ membership with neither INHERIT nor SET confers
 * nothing and passes. On the machine's PostgreSQL and the oldest and newest pinned builds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { readFile } from 'node:fs/promises';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, sqlText } from '../../../src/lab/fixture-accounts.js';
import { randomPassword, scramSha256Verifier } from '../../../src/lab/password-verifiers.js';
import type { Target } from '../../../src/targets/target.js';
import { leastPrivilegeOn } from '../../support/decide-check.js';
import { labPostgresMajors } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

/** The roles this change counts, with the first major that has each. */
const COUNTED: ReadonlyArray<readonly [string, number]> = [
  ['pg_signal_backend', 10],
  ['pg_checkpoint', 15],
  ['pg_create_subscription', 16],
  ['pg_use_reserved_connections', 16],
  ['pg_signal_autovacuum_worker', 18],
];

/** Another login role's session, busy in a query, that the application tries to end. */
async function busySession(server: LocalServer): Promise<{ pid: number; ended: Promise<unknown>; close: () => Promise<void> }> {
  const password = randomPassword();
  await asAdmin(server, [`CREATE ROLE victim LOGIN PASSWORD ${sqlText(scramSha256Verifier(password))}`]);
  const client = new pg.Client({ host: server.host, port: server.port, user: 'victim', password, database: server.database, ssl: { ca: await readFile(server.caFile, 'utf8') } });
  client.on('error', () => undefined);
  await client.connect();
  const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
  const ended = client.query('SELECT pg_sleep(60)').then(
    () => assert.fail('the session was not ended'),
    (error: Error) => error,
  );
  return { pid, ended, close: () => client.end().catch(() => undefined) };
}

for (const lab of labPostgresMajors()) {
  const { major, skip } = lab;
  describe(`PostgreSQL ${major}`, { skip }, () => {
    let server: LocalServer;
    let target: Target;
    let present: string[];
    before(async () => {
      server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
      target = targetForLocalServer(`pg${major}-predefined-roles`, server, 'baseline');
      present = (await asAdmin<{ rolname: string }>(server, [`SELECT rolname FROM pg_roles WHERE rolname = ANY(ARRAY[${COUNTED.map(([role]) => sqlText(role)).join(', ')}]) ORDER BY rolname`])).map((row) => row.rolname);
    });
    after(() => server?.stop());

    test('a pass names the predefined roles asked for: those this server has (pg_roles), and no other', async () => {
      // What the catalog says is what the versions' release notes say.
      assert.deepEqual(present, COUNTED.filter(([, since]) => major >= since).map(([role]) => role).sort());
      const clean = await leastPrivilegeOn(target);
      assert.equal(clean.verdict, 'passed', clean.reason);
      const asked = clean.reason.match(/membership in the predefined roles this server has that reach past a role's own objects \(([^)]*)\)/)?.[1].split(', ') ?? assert.fail(clean.reason);
      for (const [role] of COUNTED) assert.equal(asked.includes(role), present.includes(role), `${role} asked for: ${asked.join(', ')}`);
    });

    test('membership in the predefined roles over sessions and resources, directly, through a role or by ADMIN OPTION, fails access.least-privilege', async () => {
      // What pg_signal_backend gives, it gives: the application ends another role's session, which it could not before.
      const victim = await busySession(server);
      await assert.rejects(asPostgresAccount(server, `SELECT pg_terminate_backend(${victim.pid})`), /permission denied|must be a member/);
      await asAdmin(server, [`GRANT pg_signal_backend TO ${APP_USER}`]);
      await asPostgresAccount(server, `SELECT pg_terminate_backend(${victim.pid})`);
      assert.match(String(await victim.ended), /terminat/);
      await victim.close();
      await asAdmin(server, [`REVOKE pg_signal_backend FROM ${APP_USER}`, 'DROP ROLE victim']);
      if (major >= 15) {
        await assert.rejects(asPostgresAccount(server, 'CHECKPOINT'), /permission denied|must be superuser/);
        await asAdmin(server, [`GRANT pg_checkpoint TO ${APP_USER}`]);
        await asPostgresAccount(server, 'CHECKPOINT');
        await asAdmin(server, [`REVOKE pg_checkpoint FROM ${APP_USER}`]);
      }

      await asAdmin(server, ['CREATE ROLE operators NOLOGIN', `GRANT operators TO ${APP_USER}`]);
      for (const role of present) {
        await asAdmin(server, [`GRANT ${role} TO ${APP_USER}`]);
        const direct = await leastPrivilegeOn(target);
        assert.equal(direct.verdict, 'failed', direct.reason);
        assert.match(direct.reason, new RegExp(`${APP_USER} \\([^;]*${role} \\([^)]*\\)(,|\\))`), `${role} named without a role it comes through`);
        await asAdmin(server, [`REVOKE ${role} FROM ${APP_USER}`]);

        await asAdmin(server, [`GRANT ${role} TO operators`]);
        const throughRole = await leastPrivilegeOn(target);
        assert.equal(throughRole.verdict, 'failed', throughRole.reason);
        assert.match(throughRole.reason, new RegExp(`${APP_USER} \\([^;]*${role} \\([^)]*\\) through role operators`));
        await asAdmin(server, [`REVOKE ${role} FROM operators`]);

        // 16+: the ADMIN OPTION alone, without INHERIT or SET; before 16 it is a membership too.
        await asAdmin(server, [`GRANT ${role} TO ${APP_USER} WITH ADMIN OPTION${major >= 16 ? ', INHERIT FALSE, SET FALSE' : ''}`]);
        const admin = await leastPrivilegeOn(target);
        assert.equal(admin.verdict, 'failed', admin.reason);
        assert.match(admin.reason, new RegExp(`${APP_USER} \\([^;]*ADMIN OPTION on role ${role} \\(may grant it to others\\)`));
        await asAdmin(server, [`REVOKE ${role} FROM ${APP_USER} CASCADE`]);

        if (major >= 16) {
          // SET ROLE alone reaches the role's rights (SET ROLE pg_checkpoint; CHECKPOINT); neither option confers anything.
          await asAdmin(server, [`GRANT ${role} TO operators WITH INHERIT FALSE, SET TRUE`]);
          const bySet = await leastPrivilegeOn(target);
          assert.equal(bySet.verdict, 'failed', bySet.reason);
          assert.match(bySet.reason, new RegExp(`${APP_USER} \\([^;]*${role} \\([^)]*\\) through role operators`));
          await asAdmin(server, [`REVOKE ${role} FROM operators`, `GRANT ${role} TO ${APP_USER} WITH INHERIT FALSE, SET FALSE`]);
          const inert = await leastPrivilegeOn(target);
          assert.equal(inert.verdict, 'passed', inert.reason);
          await asAdmin(server, [`REVOKE ${role} FROM ${APP_USER}`]);
        }
      }
      if (major >= 16) {
        // SET alone gives what the role gives, after SET ROLE.
        await asAdmin(server, [`GRANT pg_checkpoint TO ${APP_USER} WITH INHERIT FALSE, SET TRUE`]);
        await asPostgresAccount(server, 'SET ROLE pg_checkpoint; CHECKPOINT');
      }
    });
  });
}
