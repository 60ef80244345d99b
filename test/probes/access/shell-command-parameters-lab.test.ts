/**
 * access.app-not-superuser and ALTER SYSTEM on a parameter that holds a shell command (15+,
 * pg_parameter_acl): the application writes archive_command into postgresql.auto.conf and the
 * server takes it at the next reload, as with pg_write_server_files. It passed before (only
 * access.least-privilege named the grant). ALTER SYSTEM on an ordinary parameter still passes.
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

for (const lab of labPostgresMajors([18]).filter((candidate) => candidate.major >= 15)) {
  describe(`PostgreSQL ${lab.major}`, { skip: lab.skip }, () => {
    test('ALTER SYSTEM on archive_command, granted directly, to PUBLIC or through a role, fails access.app-not-superuser', async () => {
      const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
      try {
        const target = targetForLocalServer(`pg${lab.major}-shell-parameters`, server, 'baseline');
        const decide = async () => (await decideCheck(appNotSuperuser, target)).decision;

        // An ordinary parameter is not a superuser's power.
        await asAdmin(server, [`GRANT ALTER SYSTEM ON PARAMETER work_mem TO ${APP_USER}`]);
        const ordinary = await decide();
        assert.equal(ordinary.verdict, 'passed', ordinary.reason);
        assert.match(ordinary.reason, /ALTER SYSTEM, granted to it, to PUBLIC or to a role it reaches, on the parameters that hold shell commands \(archive_command/);

        await asAdmin(server, [`GRANT ALTER SYSTEM ON PARAMETER archive_command TO ${APP_USER}`]);
        const direct = await decide();
        assert.equal(direct.verdict, 'failed', direct.reason);
        assert.match(direct.reason, /may ALTER SYSTEM SET archive_command \(a shell command the server runs as its operating-system user/);
        // What the judgement says it may do, it does: the server's archive_command is the application's after the next reload.
        await asPostgresAccount(server, "ALTER SYSTEM SET archive_command = 'true # set by the application'");
        await asAdmin(server, ['SELECT pg_reload_conf()']);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const [setting] = await asAdmin<{ archive_command: string }>(server, ['SHOW archive_command']);
        assert.equal(setting.archive_command, 'true # set by the application');
        await asAdmin(server, [`REVOKE ALTER SYSTEM ON PARAMETER archive_command FROM ${APP_USER}`]);

        await asAdmin(server, ['GRANT ALTER SYSTEM ON PARAMETER ssl_passphrase_command TO PUBLIC']);
        const toPublic = await decide();
        assert.equal(toPublic.verdict, 'failed', toPublic.reason);
        assert.match(toPublic.reason, /may ALTER SYSTEM SET ssl_passphrase_command, granted to PUBLIC \(/);
        await asAdmin(server, ['REVOKE ALTER SYSTEM ON PARAMETER ssl_passphrase_command FROM PUBLIC']);

        await asAdmin(server, ['CREATE ROLE archivists NOLOGIN', 'GRANT ALTER SYSTEM ON PARAMETER restore_command TO archivists', `GRANT archivists TO ${APP_USER}`]);
        const throughRole = await decide();
        assert.equal(throughRole.verdict, 'failed', throughRole.reason);
        assert.match(throughRole.reason, /may ALTER SYSTEM SET restore_command, granted to role archivists \(/);
      } finally {
        await server.stop();
      }
    });
  });
}
