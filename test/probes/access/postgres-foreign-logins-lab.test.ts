/**
 * Which user mappings a role may use, on real lab servers. PostgreSQL uses the current user's own
 * mapping, else PUBLIC's; but a role with USAGE on a server may DROP its own mapping (and create
 * another: user_mapping_ddl_aclcheck lets a role manage its own mapping with USAGE alone), so a
 * harmless mapping of its own does not shield it from PUBLIC's. Seen on lab 15 and 18: the
 * application, with a mapping of its own that holds no password and USAGE on a postgres_fdw server
 * whose PUBLIC mapping logs in as postgres over the Unix socket with password_required 'false',
 * dropped its mapping and set its own rolsuper through a foreign table over pg_authid, while
 * access.app-not-superuser passed, judging its own mapping only.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, sqlText } from '../../../src/lab/fixture-accounts.js';
import { randomPassword, scramSha256Verifier } from '../../../src/lab/password-verifiers.js';
import { rememberAccountPassword } from '../../../src/targets/secret-store.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { labPostgresMajors } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

const appNotSuperuserOn = async (target: Target) => (await decideCheck(appNotSuperuser, target)).decision;

async function appIsSuperuser(server: LocalServer): Promise<boolean> {
  const [{ rolsuper }] = await asAdmin<{ rolsuper: boolean }>(server, [`SELECT rolsuper FROM pg_roles WHERE rolname = '${APP_USER}'`]);
  return rolsuper;
}

/** The target read by a superuser auditor, who may see every mapping's options. */
async function readBySuperuser(server: LocalServer, target: Target): Promise<Target> {
  const inspector = { user: 'inspector', password: randomPassword() };
  await asAdmin(server, [`CREATE ROLE ${inspector.user} LOGIN SUPERUSER PASSWORD ${sqlText(scramSha256Verifier(inspector.password))}`]);
  const bySuperuser = { ...target, name: `${target.name}-by-superuser`, auditor: inspector.user };
  rememberAccountPassword(bySuperuser.name, inspector.user, inspector.password);
  return bySuperuser;
}

/**
 * A postgres_fdw server "here" over this server's own Unix socket whose PUBLIC mapping logs in as
 * postgres without a password, the application's schema "own", and USAGE on the server for it.
 */
const loopbackServerStatements = (server: LocalServer) => [
  'CREATE SCHEMA ext',
  `CREATE SCHEMA own AUTHORIZATION ${APP_USER}`,
  'CREATE EXTENSION postgres_fdw SCHEMA ext',
  `CREATE SERVER here FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '${join(server.workDirectory!, 'socket')}', port '${server.port}', dbname 'app')`,
  "CREATE USER MAPPING FOR PUBLIC SERVER here OPTIONS (user 'postgres', password_required 'false')",
  `GRANT USAGE ON FOREIGN SERVER here TO ${APP_USER}`,
];

for (const lab of labPostgresMajors([18])) {
  describe(`PostgreSQL ${lab.major}`, { skip: lab.skip }, () => {
    test("a mapping of the application's own does not hide PUBLIC's: it may drop its own, and PUBLIC's then logs it in as postgres", async () => {
      const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
      try {
        const target = await readBySuperuser(server, targetForLocalServer(`pg${lab.major}-own-mapping`, server, 'baseline'));
        await asAdmin(server, [
          ...loopbackServerStatements(server),
          // The application's own mapping: no password, so no login; it is the one PostgreSQL picks for it.
          `CREATE USER MAPPING FOR ${APP_USER} SERVER here`,
        ]);
        const decision = await appNotSuperuserOn(target);

        // What the application may do: drop its own mapping, then PUBLIC's is its own.
        await asPostgresAccount(server, `DROP USER MAPPING FOR ${APP_USER} SERVER here`);
        await asPostgresAccount(server, 'CREATE FOREIGN TABLE own.authid (rolname name, rolsuper boolean) SERVER here OPTIONS (schema_name \'pg_catalog\', table_name \'pg_authid\')');
        await asPostgresAccount(server, `UPDATE own.authid SET rolsuper = true WHERE rolname = '${APP_USER}'`);
        assert.equal(await appIsSuperuser(server), true);

        assert.equal(decision.verdict, 'failed', decision.reason);
        assert.match(decision.reason, /may log in as "postgres" through foreign server "here" \(postgres_fdw, USAGE granted to it\) and the user mapping for PUBLIC \(it may drop its own mapping for app\): password_required 'false'/);
      } finally {
        await server.stop();
      }
    });
  });
}

for (const lab of labPostgresMajors()) {
  describe(`PostgreSQL ${lab.major}`, { skip: lab.skip }, () => {
    test('a foreign table the application owns is its login through the mapping, after its USAGE on the server is revoked', async () => {
      const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
      try {
        const target = await readBySuperuser(server, targetForLocalServer(`pg${lab.major}-owned-foreign-table`, server, 'baseline'));
        await asAdmin(server, loopbackServerStatements(server));
        // Made while it held USAGE, over a harmless relation; then USAGE goes, and the table stays its own.
        await asPostgresAccount(server, "CREATE FOREIGN TABLE own.remote (id int) SERVER here OPTIONS (schema_name 'public', table_name 'nothing_here')");
        await asAdmin(server, [`REVOKE USAGE ON FOREIGN SERVER here FROM ${APP_USER}`]);
        const decision = await appNotSuperuserOn(target);

        // What the owner may still do: point it at pg_authid and write its own rolsuper as postgres.
        await asPostgresAccount(server, "ALTER FOREIGN TABLE own.remote OPTIONS (SET schema_name 'pg_catalog', SET table_name 'pg_authid')");
        await asPostgresAccount(server, 'ALTER FOREIGN TABLE own.remote DROP COLUMN id, ADD COLUMN rolname name, ADD COLUMN rolsuper boolean');
        await asPostgresAccount(server, `UPDATE own.remote SET rolsuper = true WHERE rolname = '${APP_USER}'`);
        assert.equal(await appIsSuperuser(server), true);

        assert.equal(decision.verdict, 'failed', decision.reason);
        assert.match(decision.reason, /may log in as "postgres" through foreign server "here" \(postgres_fdw, no USAGE, but it owns its foreign table own\.remote, which an owner may point at any relation there \(ALTER FOREIGN TABLE \.\.\. OPTIONS\)\) and the user mapping for PUBLIC: password_required 'false'/);
      } finally {
        await server.stop();
      }
    });
  });
}

describe('another cluster on the same host (two lab servers, one operating-system user)', () => {
  test("a mapping to the other cluster's port as a role this server does not have is undecided, not passed: a superuser there reaches this server's files", async () => {
    const [server, neighbour] = await Promise.all([startLocalServer('postgres', 'hardened', { mode: 'process' }), startLocalServer('postgres', 'hardened', { mode: 'process' })]);
    try {
      const other = { user: 'neighbour_admin', password: randomPassword() };
      await asAdmin(neighbour, [`CREATE ROLE ${other.user} LOGIN SUPERUSER PASSWORD ${sqlText(scramSha256Verifier(other.password))}`]);
      await asAdmin(server, [
        'CREATE SCHEMA ext',
        `CREATE SCHEMA own AUTHORIZATION ${APP_USER}`,
        'CREATE EXTENSION postgres_fdw SCHEMA ext',
        // The server's own libpq would read a client certificate from $HOME, which the lab's server user may not: name one that does not exist.
        `CREATE SERVER next FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${neighbour.port}', dbname 'app', sslcert '${join(server.workDirectory!, 'no-client-certificate')}')`,
        `CREATE USER MAPPING FOR ${APP_USER} SERVER next OPTIONS (user '${other.user}', password ${sqlText(other.password)})`,
        `GRANT USAGE ON FOREIGN SERVER next TO ${APP_USER}`,
      ]);
      const target = await readBySuperuser(server, targetForLocalServer('pg-other-cluster', server, 'baseline'));
      const decision = await appNotSuperuserOn(target);

      // What it hands over: superuser in the other cluster, whose programs run as the operating-system user this server's files belong to.
      await asPostgresAccount(server, "CREATE FOREIGN TABLE own.neighbour_authid (rolname name, rolsuper boolean) SERVER next OPTIONS (schema_name 'pg_catalog', table_name 'pg_authid')");
      await asPostgresAccount(server, `UPDATE own.neighbour_authid SET rolsuper = true WHERE rolname = '${APP_USER}'`);
      const [{ rolsuper }] = await asAdmin<{ rolsuper: boolean }>(neighbour, [`SELECT rolsuper FROM pg_roles WHERE rolname = '${APP_USER}'`]);
      assert.equal(rolsuper, true, 'the application is a superuser of the other cluster');
      const dataDirectory = join(server.workDirectory!, 'data');
      // As that superuser, a program the other cluster runs may write this server's configuration (COPY fails if the test does).
      await asPostgresAccount(neighbour, `COPY (SELECT 1) TO PROGRAM 'test -w ${dataDirectory}/postgresql.auto.conf'`);

      assert.equal(decision.verdict, 'undecided', decision.reason);
      assert.match(decision.reason, new RegExp(`as "${other.user}", to host 127\\.0\\.0\\.1 port ${neighbour.port}, this database host, on port ${neighbour.port} where this server listens on ${server.port}: another cluster on this host, whose roles cannot be read from here \\(here it is no role\\)`));
    } finally {
      await Promise.all([server.stop(), neighbour.stop()]);
    }
  });
});
