/**
 * access.app-not-superuser and what makes a PostgreSQL role a superuser in all but name, on real
 * servers (the machine's 15, the oldest and newest pinned builds): membership in pg_execute_server_program,
 * pg_write_server_files or pg_read_server_files, held directly or through a role, or an ADMIN OPTION
 * on one; and before 16 CREATEROLE, which grants itself any of them. Each passed before (only
 * access.least-privilege named the roles, and CREATEROLE passed on every version). Also 17+'s
 * pg_maintain, which access.least-privilege did not count. And EXECUTE on the functions that write
 * or read server file contents (lo_export, adminpack's pg_file_write before 17, lo_import,
 * pg_read_binary_file), granted directly, to PUBLIC or through a role: the application writes
 * postgresql.auto.conf or reads pg_authid's file, and access.app-not-superuser passed before. And
 * (15+) ALTER SYSTEM on a parameter holding a shell command, and (16+) an ADMIN OPTION alone on an
 * ordinary role that reaches a superuser or predefined role: both passed before. And what comes
 * through extensions, installed in a schema of their own: EXECUTE on dblink_connect_u, and a foreign
 * server's user mapping that hands the application a superuser's login to this host (postgres_fdw):
 * both passed before.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, sqlText } from '../../../src/lab/fixture-accounts.js';
import { randomPassword, scramSha256Verifier } from '../../../src/lab/password-verifiers.js';
import { rememberAccountPassword, rememberPassword } from '../../../src/targets/secret-store.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck, leastPrivilegeOn } from '../../support/decide-check.js';
import { labPostgresMajors, type LabPostgresMajor } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin, reloadLabPostgres } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

/** A PostgreSQL string literal (dollar-quoted: the text holds single quotes). */
const literal = (text: string) => `$conf$${text}$conf$`;

/** A setting's value after the server's superuser reloads the configuration files, as the next admin's reload would. */
async function settingAfterReload(server: LocalServer, name: string): Promise<string> {
  await reloadLabPostgres(server);
  const [row] = await asAdmin<Record<string, string>>(server, [`SHOW ${name}`]);
  return row[name];
}

const appNotSuperuserOn = async (target: Target) => (await decideCheck(appNotSuperuser, target)).decision;

/** Whether the lab's application role is a superuser now, as its superuser sees it. */
async function appIsSuperuser(server: LocalServer): Promise<boolean> {
  const [{ rolsuper }] = await asAdmin<{ rolsuper: boolean }>(server, [`SELECT rolsuper FROM pg_roles WHERE rolname = '${APP_USER}'`]);
  return rolsuper;
}

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

    test('EXECUTE on a function that writes or reads server files fails access.app-not-superuser; one that lists or stats them is access.least-privilege\'s', () =>
      onHardened(lab, 'file-functions', async (server, target) => {
        // adminpack (gone from 17) grants its wrapper pg_file_rename(text,text) to PUBLIC: it confers nothing, and fails neither control.
        if (major < 17) await asAdmin(server, ['CREATE EXTENSION adminpack']);
        const clean = await appNotSuperuserOn(target);
        assert.equal(clean.verdict, 'passed', clean.reason);
        assert.match(clean.reason, /EXECUTE, granted to it, to PUBLIC or to a role it reaches, on the \d+ server-file functions that write or read file contents \(.*lo_export\(oid,text\)/);
        assert.match(clean.reason, /not counted: [^;]*pg_ls_dir\(text\)/);
        if (major < 17) assert.match(clean.reason, /pg_file_write\(text,text,boolean\)/);
        const cleanLeast = await leastPrivilegeOn(target);
        assert.equal(cleanLeast.verdict, 'passed', cleanLeast.reason);

        // Granted to PUBLIC: the application overwrites postgresql.auto.conf with a superuser-only setting, in force at the next reload.
        const [{ conf }] = await asAdmin<{ conf: string }>(server, ["SELECT pg_read_file('postgresql.auto.conf') AS conf"]);
        await asAdmin(server, ['GRANT EXECUTE ON FUNCTION lo_export(oid, text) TO PUBLIC']);
        const [{ lo }] = await asPostgresAccount<{ lo: number }>(server, `SELECT lo_from_bytea(0, convert_to(${literal(`${conf}log_min_messages = 'panic'\n`)}, 'UTF8')) AS lo`);
        await asPostgresAccount(server, `SELECT lo_export(${Number(lo)}, 'postgresql.auto.conf')`);
        assert.equal(await settingAfterReload(server, 'log_min_messages'), 'panic');
        const toPublic = await appNotSuperuserOn(target);
        assert.equal(toPublic.verdict, 'failed', toPublic.reason);
        assert.match(toPublic.reason, /may EXECUTE lo_export\(oid,text\), granted to PUBLIC \(writes a large object of its choosing to any file/);
        await asAdmin(server, ['ALTER SYSTEM RESET log_min_messages', 'REVOKE EXECUTE ON FUNCTION lo_export(oid, text) FROM PUBLIC']);
        assert.notEqual(await settingAfterReload(server, 'log_min_messages'), 'panic');

        if (major < 17) {
          // Through a role: adminpack's pg_file_write appends to postgresql.auto.conf.
          await asAdmin(server, ['CREATE ROLE file_writers NOLOGIN', 'GRANT EXECUTE ON FUNCTION pg_file_write(text, text, boolean) TO file_writers', `GRANT file_writers TO ${APP_USER}`]);
          await asPostgresAccount(server, "SELECT pg_file_write('postgresql.auto.conf', E'log_min_messages = ''fatal''\\n', true)");
          assert.equal(await settingAfterReload(server, 'log_min_messages'), 'fatal');
          const throughRole = await appNotSuperuserOn(target);
          assert.equal(throughRole.verdict, 'failed', throughRole.reason);
          assert.match(throughRole.reason, /may EXECUTE pg_file_write\(text,text,boolean\), through role file_writers \(writes and appends to files of the data directory/);
          await asAdmin(server, ['ALTER SYSTEM RESET log_min_messages', 'REVOKE EXECUTE ON FUNCTION pg_file_write(text, text, boolean) FROM file_writers', 'DROP ROLE file_writers']);
        }

        // Directly: pg_read_binary_file reads pg_authid's file (every role's password verifier), lo_import pg_hba.conf.
        await asAdmin(server, [`GRANT EXECUTE ON FUNCTION pg_read_binary_file(text) TO ${APP_USER}`, `GRANT EXECUTE ON FUNCTION lo_import(text) TO ${APP_USER}`]);
        const [{ verifiers }] = await asPostgresAccount<{ verifiers: boolean }>(server, "SELECT position('SCRAM-SHA-256$'::bytea IN pg_read_binary_file('global/1260')) > 0 AS verifiers");
        assert.equal(verifiers, true);
        const [{ imported }] = await asPostgresAccount<{ imported: number }>(server, "SELECT lo_import('pg_hba.conf') AS imported");
        const [{ hba }] = await asPostgresAccount<{ hba: string }>(server, `SELECT convert_from(lo_get(${Number(imported)}), 'UTF8') AS hba`);
        assert.match(hba, /hostssl/);
        const reads = await appNotSuperuserOn(target);
        assert.equal(reads.verdict, 'failed', reads.reason);
        assert.match(reads.reason, /may EXECUTE pg_read_binary_file\(text\), granted to it directly \(reads any file of the data directory and the log folder as bytes: every role's password verifier/);
        assert.match(reads.reason, /may EXECUTE lo_import\(text\), granted to it directly \(reads any file the server's operating-system user may read/);
        await asAdmin(server, [`REVOKE EXECUTE ON FUNCTION pg_read_binary_file(text) FROM ${APP_USER}`, `REVOKE EXECUTE ON FUNCTION lo_import(text) FROM ${APP_USER}`]);

        // Names and metadata only: access.least-privilege's finding, not superuser power.
        await asAdmin(server, [`GRANT EXECUTE ON FUNCTION pg_ls_dir(text) TO ${APP_USER}`, `GRANT EXECUTE ON FUNCTION pg_stat_file(text) TO ${APP_USER}`]);
        const listing = await appNotSuperuserOn(target);
        assert.equal(listing.verdict, 'passed', listing.reason);
        const least = await leastPrivilegeOn(target);
        assert.equal(least.verdict, 'failed', least.reason);
        assert.match(least.reason, new RegExp(`${APP_USER} \\(EXECUTE on pg_ls_dir\\(text\\) \\(lists server folders\\)`));
      }),
    );

    if (major >= 16) {
      // 16 split memberships into ADMIN, INHERIT and SET: only there can an ADMIN OPTION come alone.
      test('an ADMIN OPTION alone on an ordinary role that reaches a superuser or pg_execute_server_program fails access.app-not-superuser', () =>
        onHardened(lab, 'admin-two-hops', async (server, target) => {
          // An ordinary role that may SET ROLE to the superuser postgres; the application may only administer it.
          await asAdmin(server, ['CREATE ROLE dbas NOLOGIN', 'GRANT postgres TO dbas', `GRANT dbas TO ${APP_USER} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE`]);
          const superuser = await appNotSuperuserOn(target);
          assert.equal(superuser.verdict, 'failed', superuser.reason);
          assert.match(superuser.reason, /holds ADMIN OPTION on role "dbas", which reaches superuser role "postgres", so may grant it to itself/);
          // What the judgement says it may do, it does: grant itself the role, then become postgres.
          await asPostgresAccount(server, `GRANT dbas TO ${APP_USER} WITH SET TRUE`);
          const [row] = await asPostgresAccount<{ rolsuper: boolean }>(server, 'SET ROLE postgres; SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
          assert.equal(row.rolsuper, true);
          await asAdmin(server, ['DROP ROLE dbas']);

          // The same through an ordinary role that holds pg_execute_server_program.
          await asAdmin(server, ['CREATE ROLE loaders NOLOGIN', 'GRANT pg_execute_server_program TO loaders', `GRANT loaders TO ${APP_USER} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE`]);
          const program = await appNotSuperuserOn(target);
          assert.equal(program.verdict, 'failed', program.reason);
          assert.match(program.reason, /holds ADMIN OPTION on role "loaders", which reaches predefined role "pg_execute_server_program", so may grant it to itself/);
          await asPostgresAccount(server, `GRANT loaders TO ${APP_USER}`);
          await asPostgresAccount(server, "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'");
        }),
      );
    }

    if (major >= 15) {
      test('ALTER SYSTEM on a parameter holding a shell command, granted directly, to PUBLIC or through a role, fails access.app-not-superuser; on work_mem it does not', () =>
        onHardened(lab, 'shell-parameters', async (server, target) => {
          await asAdmin(server, [`GRANT ALTER SYSTEM ON PARAMETER work_mem TO ${APP_USER}`]);
          const ordinary = await appNotSuperuserOn(target);
          assert.equal(ordinary.verdict, 'passed', ordinary.reason);
          assert.match(ordinary.reason, /ALTER SYSTEM, granted to it, to PUBLIC or to a role it reaches, on the parameters that hold shell commands \(archive_command/);

          await asAdmin(server, [`GRANT ALTER SYSTEM ON PARAMETER archive_command TO ${APP_USER}`]);
          const direct = await appNotSuperuserOn(target);
          assert.equal(direct.verdict, 'failed', direct.reason);
          assert.match(direct.reason, /may ALTER SYSTEM SET archive_command \(a shell command the server runs as its operating-system user/);
          // What the judgement says it may do, it does: the server's archive_command is the application's after the next reload.
          await asPostgresAccount(server, "ALTER SYSTEM SET archive_command = 'true # set by the application'");
          assert.equal(await settingAfterReload(server, 'archive_command'), 'true # set by the application');
          await asAdmin(server, [`REVOKE ALTER SYSTEM ON PARAMETER archive_command FROM ${APP_USER}`]);

          await asAdmin(server, ['GRANT ALTER SYSTEM ON PARAMETER ssl_passphrase_command TO PUBLIC']);
          const toPublic = await appNotSuperuserOn(target);
          assert.equal(toPublic.verdict, 'failed', toPublic.reason);
          assert.match(toPublic.reason, /may ALTER SYSTEM SET ssl_passphrase_command, granted to PUBLIC \(/);
          await asAdmin(server, ['REVOKE ALTER SYSTEM ON PARAMETER ssl_passphrase_command FROM PUBLIC']);

          await asAdmin(server, ['CREATE ROLE archivists NOLOGIN', 'GRANT ALTER SYSTEM ON PARAMETER restore_command TO archivists', `GRANT archivists TO ${APP_USER}`]);
          const throughRole = await appNotSuperuserOn(target);
          assert.equal(throughRole.verdict, 'failed', throughRole.reason);
          assert.match(throughRole.reason, /may ALTER SYSTEM SET restore_command, granted to role archivists \(/);
        }),
      );
    }

    test('EXECUTE on dblink_connect_u, in the schema dblink was installed in, fails access.app-not-superuser and access.least-privilege: the application logs in as postgres', () =>
      onHardened(lab, 'dblink-connect', async (server, target) => {
        // Installed as an administrator would, outside public: its EXECUTE on dblink_connect_u is revoked from PUBLIC.
        await asAdmin(server, ['CREATE SCHEMA ext', 'CREATE EXTENSION dblink SCHEMA ext', 'GRANT USAGE ON SCHEMA ext TO PUBLIC']);
        const clean = await appNotSuperuserOn(target);
        assert.equal(clean.verdict, 'passed', clean.reason);
        assert.match(clean.reason, /dblink's connections without password checks \(SECURITY DEFINER, owned by a superuser\) in database "app": ext\.dblink_connect_u\(text\), ext\.dblink_connect_u\(text, text\)/);
        const cleanLeast = await leastPrivilegeOn(target);
        assert.equal(cleanLeast.verdict, 'passed', cleanLeast.reason);

        await asAdmin(server, ['CREATE ROLE linkers NOLOGIN', 'GRANT EXECUTE ON FUNCTION ext.dblink_connect_u(text, text) TO linkers', `GRANT linkers TO ${APP_USER}`]);
        // What the judgement says it may do, it does: over the Unix socket, where the lab's pg_hba trusts postgres, it becomes a superuser.
        const socket = join(server.workDirectory!, 'socket');
        await asPostgresAccount(server, `SELECT ext.dblink_connect_u('su', 'host=${socket} port=${server.port} dbname=app user=postgres'); SELECT ext.dblink_exec('su', 'ALTER ROLE ${APP_USER} SUPERUSER')`);
        assert.equal(await appIsSuperuser(server), true);
        await asAdmin(server, [`ALTER ROLE ${APP_USER} NOSUPERUSER`]);

        const decision = await appNotSuperuserOn(target);
        assert.equal(decision.verdict, 'failed', decision.reason);
        assert.match(decision.reason, /may EXECUTE ext\.dblink_connect_u\(text, text\), through role linkers \(dblink's connection without its password checks: it runs as its owner, superuser "postgres"/);
        const least = await leastPrivilegeOn(target);
        assert.equal(least.verdict, 'failed', least.reason);
        assert.match(least.reason, new RegExp(`${APP_USER} \\(EXECUTE on ext\\.dblink_connect_u\\(text, text\\) \\(dblink's connection without its password checks`));
      }),
    );

    test("a foreign server's user mapping that hands the application postgres's login to this host fails access.app-not-superuser; one the reading account cannot see is undecided", () =>
      onHardened(lab, 'foreign-logins', async (server, target) => {
        const socket = join(server.workDirectory!, 'socket');
        // The server's own libpq would read a client certificate from $HOME, which the lab's server user may not: name one that does not exist.
        const noCertificate = `sslcert '${join(server.workDirectory!, 'no-client-certificate')}'`;
        // The application's own schema for its foreign tables (before 15 schema public is postgres's, and the lab lets nobody else create there).
        await asAdmin(server, ['CREATE SCHEMA ext', `CREATE SCHEMA own AUTHORIZATION ${APP_USER}`, 'CREATE EXTENSION postgres_fdw SCHEMA ext', `CREATE SERVER here FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '${socket}', port '${server.port}', dbname 'app')`]);
        const clean = await appNotSuperuserOn(target);
        assert.equal(clean.verdict, 'passed', clean.reason);
        assert.match(clean.reason, /user mappings with a stored password or password_required 'false' on the 0 foreign servers of postgres_fdw, dblink_fdw or a wrapper without a validator that it, or a role it may SET ROLE to, may use \(USAGE, or a foreign table of it that it owns\) in database "app"/);

        // A mapping for PUBLIC to the Unix socket as postgres, no password needed (a superuser's option), USAGE through a role.
        await asAdmin(server, ["CREATE USER MAPPING FOR PUBLIC SERVER here OPTIONS (user 'postgres', password_required 'false')", 'CREATE ROLE linkers NOLOGIN', 'GRANT USAGE ON FOREIGN SERVER here TO linkers', `GRANT linkers TO ${APP_USER}`]);
        // What it hands over: the application sets its own rolsuper in postgres's pg_authid.
        const becomeSuperuser = async (foreignServer: string) => {
          await asPostgresAccount(server, `CREATE FOREIGN TABLE own.authid_${foreignServer} (rolname name, rolsuper boolean) SERVER ${foreignServer} OPTIONS (schema_name 'pg_catalog', table_name 'pg_authid')`);
          await asPostgresAccount(server, `UPDATE own.authid_${foreignServer} SET rolsuper = true WHERE rolname = '${APP_USER}'`);
          assert.equal(await appIsSuperuser(server), true);
          await asAdmin(server, [`ALTER ROLE ${APP_USER} NOSUPERUSER`, `DROP FOREIGN TABLE own.authid_${foreignServer}`]);
        };
        await becomeSuperuser('here');
        // The lab's auditor may not see a PUBLIC mapping's options (only a member of the server's owner or a superuser may).
        const hidden = await appNotSuperuserOn(target);
        assert.equal(hidden.verdict, 'undecided', hidden.reason);
        assert.match(hidden.reason, /foreign server "here" \(postgres_fdw, USAGE through role linkers\) and the user mapping for PUBLIC: the reading account may not see the mapping's options/);
        // Read by an auditor who may: failed.
        const inspector = { user: 'inspector', password: randomPassword() };
        await asAdmin(server, [`CREATE ROLE ${inspector.user} LOGIN SUPERUSER PASSWORD ${sqlText(scramSha256Verifier(inspector.password))}`]);
        const bySuperuser = { ...target, name: `${target.name}-by-superuser`, auditor: inspector.user };
        rememberAccountPassword(bySuperuser.name, inspector.user, inspector.password);
        const seen = await appNotSuperuserOn(bySuperuser);
        assert.equal(seen.verdict, 'failed', seen.reason);
        assert.match(seen.reason, new RegExp(`may log in as "postgres" through foreign server "here" \\(postgres_fdw, USAGE through role linkers\\) and the user mapping for PUBLIC: password_required 'false', to host ${socket} port ${server.port}, this database host; and "postgres" has superuser power: role "postgres" is SUPERUSER`));
        await asAdmin(server, ['DROP USER MAPPING FOR PUBLIC SERVER here', 'REVOKE USAGE ON FOREIGN SERVER here FROM linkers', 'DROP ROLE linkers']);

        // A mapping for the application itself, to 127.0.0.1 as postgres with postgres's password, USAGE granted to it.
        const postgresPassword = randomPassword();
        await asAdmin(server, [
          `ALTER ROLE postgres PASSWORD ${sqlText(scramSha256Verifier(postgresPassword))}`,
          `CREATE SERVER tcp FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${server.port}', dbname 'app', ${noCertificate})`,
          `CREATE USER MAPPING FOR ${APP_USER} SERVER tcp OPTIONS (user 'postgres', password ${sqlText(postgresPassword)})`,
          `GRANT USAGE ON FOREIGN SERVER tcp TO ${APP_USER}`,
        ]);
        await becomeSuperuser('tcp');
        const ownHidden = await appNotSuperuserOn(target);
        assert.equal(ownHidden.verdict, 'undecided', ownHidden.reason);
        assert.match(ownHidden.reason, new RegExp(`foreign server "tcp" \\(postgres_fdw, USAGE granted to it\\) and the user mapping for ${APP_USER}: the reading account may not see`));
        // With no auditor declared the application's own login reads the catalog, and sees its own mapping; the evidence says there is a password, never what it is.
        const byApplication = { ...target, name: `${target.name}-by-application`, auditor: undefined };
        rememberPassword(byApplication.name, server.password);
        const own = await decideCheck(appNotSuperuser, byApplication);
        assert.equal(own.decision.verdict, 'failed', own.decision.reason);
        assert.match(own.decision.reason, /may log in as "postgres" through foreign server "tcp" \(postgres_fdw, USAGE granted to it\) and the user mapping for app: a stored password, to host 127\.0\.0\.1 port \d+, this database host/);
        assert.ok(!JSON.stringify(own.evidence).includes(postgresPassword) && !own.decision.reason.includes(postgresPassword), 'the mapping\'s password reached the evidence');

        // To another host: postgres there may be this server under another address (undecided); an ordinary role there is not counted.
        await asAdmin(server, [`ALTER SERVER tcp OPTIONS (SET host '192.0.2.10')`]);
        const elsewhere = await appNotSuperuserOn(byApplication);
        assert.equal(elsewhere.verdict, 'undecided', elsewhere.reason);
        assert.match(elsewhere.reason, /as "postgres", which has superuser power here \(role "postgres" is SUPERUSER\), to host 192\.0\.2\.10 port \d+: whether that is this server under another name or address cannot be told/);
        await asAdmin(server, [`ALTER USER MAPPING FOR ${APP_USER} SERVER tcp OPTIONS (SET user 'alice')`]);
        const ordinary = await appNotSuperuserOn(byApplication);
        assert.equal(ordinary.verdict, 'passed', ordinary.reason);
        assert.match(ordinary.reason, /not counted: foreign server "tcp" \(postgres_fdw, USAGE granted to it\) and the user mapping for app: a stored password, as "alice", to host 192\.0\.2\.10 port \d+, a role without superuser power here/);
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
