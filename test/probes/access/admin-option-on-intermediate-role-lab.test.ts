/**
 * access.app-not-superuser on PostgreSQL 16+ when the application holds only an ADMIN OPTION (no
 * SET, no INHERIT) on an ordinary role that is itself a member of a superuser role or of a
 * predefined role that reaches the host. The ADMIN OPTION lets the application grant that ordinary
 * role to itself (no superuser needed: the role is not a superuser), and so reach what it reaches.
 * Before, only an ADMIN OPTION on the predefined role itself counted, and a membership in a superuser
 * role without SET or INHERIT was reported as conferring nothing: both passed.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER } from '../../../src/lab/fixture-accounts.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import { decideCheck } from '../../support/decide-check.js';
import { labPostgresMajors } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

// 16 split memberships into ADMIN, INHERIT and SET: only there can an ADMIN OPTION come alone.
for (const lab of labPostgresMajors([18]).filter((candidate) => candidate.major >= 16)) {
  describe(`PostgreSQL ${lab.major}`, { skip: lab.skip }, () => {
    test('an ADMIN OPTION on a role that reaches a superuser or pg_execute_server_program fails access.app-not-superuser', async () => {
      const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
      try {
        const target = targetForLocalServer(`pg${lab.major}-admin-two-hops`, server, 'baseline');

        // An ordinary role that may SET ROLE to the superuser postgres; the application may only administer it.
        await asAdmin(server, ['CREATE ROLE dbas NOLOGIN', 'GRANT postgres TO dbas', `GRANT dbas TO ${APP_USER} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE`]);
        const superuser = (await decideCheck(appNotSuperuser, target)).decision;
        assert.equal(superuser.verdict, 'failed', superuser.reason);
        assert.match(superuser.reason, /holds ADMIN OPTION on role "dbas", which reaches superuser role "postgres", so may grant it to itself/);
        // What the judgement says it may do, it does: grant itself the role, then become postgres.
        await asPostgresAccount(server, `GRANT dbas TO ${APP_USER} WITH SET TRUE`);
        const [row] = await asPostgresAccount<{ rolsuper: boolean }>(server, 'SET ROLE postgres; SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
        assert.equal(row.rolsuper, true);
        await asAdmin(server, ['DROP ROLE dbas']);

        // The same through an ordinary role that holds pg_execute_server_program.
        await asAdmin(server, ['CREATE ROLE loaders NOLOGIN', 'GRANT pg_execute_server_program TO loaders', `GRANT loaders TO ${APP_USER} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE`]);
        const program = (await decideCheck(appNotSuperuser, target)).decision;
        assert.equal(program.verdict, 'failed', program.reason);
        assert.match(program.reason, /holds ADMIN OPTION on role "loaders", which reaches predefined role "pg_execute_server_program", so may grant it to itself/);
        await asPostgresAccount(server, `GRANT loaders TO ${APP_USER}`);
        await asPostgresAccount(server, "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'");
      } finally {
        await server.stop();
      }
    });
  });
}
