/**
 * access.app-not-superuser and administrators' SQL SECURITY DEFINER routines the application may
 * run, on a real MariaDB 10.11: the lab variant's root-defined `PREPARE s FROM statement` made the
 * application an administrator while the control passed (only access.least-privilege failed). Now
 * a routine whose dynamic SQL runs its caller's text fails, however the application may EXECUTE it
 * (its database grant, a role, PUBLIC), whoever its administrator definer is (a role too); a
 * routine without dynamic SQL passes only where the application may replace nothing it uses, and is
 * undecided in the application's own database, shown here hijacked through an SQL SECURITY INVOKER
 * view; an INVOKER routine, or one whose definer is no administrator, is not counted. The body never
 * reaches the evidence or the reason.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_DATABASE, AUDITOR_USER, DEFINER_ROUTINE, LOCKOUT_USER, newFixturePasswords } from '../../../src/lab/fixture-accounts.js';
import { mariaDbWeakeningStatements } from '../../../src/lab/mariadb-accounts.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import { readAdministratorDefinerRoutines } from '../../../src/probes/access/mysql-administrator-definer-routines.js';
import { readMysqlAccounts, readRoleGrants } from '../../../src/probes/catalog/mysql-accounts.js';
import { CatalogSession } from '../../../src/sessions/catalog-session.js';
import { withSqlSession } from '../../../src/sessions/sql-session.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';

after(() => stopAllLocalServers());

/** A marker in every body: the evidence and the reason must never carry a body (one may hold a password). */
const MARKER = 'body-marker-5c1e';
const APP = "'app'@'127.0.0.1'";
const APP_ACCOUNTS = "'app'@'127\\.0\\.0\\.1', 'app'@'localhost'";

describe('MariaDB: administrators\' SQL SECURITY DEFINER routines', () => {
  let server: LocalServer;
  let target: Target;
  let asRoot: (sql: string) => Promise<string>;
  const decide = async () => {
    const outcome = await decideCheck(appNotSuperuser, target);
    assert.ok(!JSON.stringify(outcome.evidence ?? {}).includes(MARKER), 'a routine body reached the evidence');
    assert.ok(!outcome.decision.reason.includes(MARKER), 'a routine body reached the reason');
    return outcome.decision;
  };
  /** Runs statements as the application, in one session, in order. */
  const asApp = (...statements: string[]) =>
    withSqlSession(target, { user: server.user, password: server.password }, 'tls', AbortSignal.timeout(20_000), {}, async (session) => {
      for (const statement of statements) await session.query(statement);
    });
  /** What root's grant tables say the application holds now. */
  const appGrants = async () => asRoot(`SHOW GRANTS FOR ${APP}`);
  /** Takes back whatever the application granted itself on the mysql tables, whether or not it got that far. */
  const revokeSystemGrants = "DELETE FROM mysql.tables_priv WHERE User = 'app' AND Db = 'mysql'; FLUSH PRIVILEGES";
  /** A procedure `name` defined by `definer`, with `body` (marked), made by root over the socket. */
  const procedure = (name: string, parameters: string, body: string, { definer = "'root'@'localhost'", security = 'DEFINER' } = {}) =>
    `DELIMITER //\nCREATE DEFINER=${definer} PROCEDURE ${name}(${parameters}) SQL SECURITY ${security} BEGIN /* ${MARKER} */ ${body} END//\nDELIMITER ;\nDO 0`;

  before(async () => {
    server = await startLocalServer('mysql', 'hardened', { mode: 'process' });
    target = targetForLocalServer('mariadb-administrator-definer', server, 'baseline');
    asRoot = asMariaDbRoot(server);
    // A database the application holds nothing on, and a table its routines read.
    await asRoot(`CREATE DATABASE ops; CREATE TABLE ops.items (id INT); CREATE TABLE ${APP_DATABASE}.items (id INT); INSERT INTO ${APP_DATABASE}.items VALUES (1)`);
  });
  after(() => server?.stop());

  test('the hardened server passes, saying how many routines it examined and that none is an administrator\'s it may run', async () => {
    const decided = await decide();
    assert.equal(decided.verdict, 'passed', decided.reason);
    assert.match(decided.reason, /nor an administrator's SQL SECURITY DEFINER routine it may run: \d+ routines examined \(mysql\.proc\), 0 of them an administrator's that it may EXECUTE/);
  });

  test("the lab variant's procedure, which runs any statement it is given, fails; the application grants itself through it", async () => {
    const statements = mariaDbWeakeningStatements(['superuser-definer-routine'], newFixturePasswords());
    await asRoot(statements.join('\n').replace('BEGIN', `BEGIN -- ${MARKER}\n`));
    try {
      const decided = await decide();
      assert.equal(decided.verdict, 'failed', decided.reason);
      assert.match(
        decided.reason,
        new RegExp(`has superuser power: ${APP_ACCOUNTS} may EXECUTE PROCEDURE app\\.${DEFINER_ROUTINE}, SQL SECURITY DEFINER 'root'@'localhost' \\(it holds ALL PRIVILEGES ON \\*\\.\\*\\): it runs the statement its caller passes as statement, as 'root'@'localhost'`),
      );
      await asApp(`CALL app.${DEFINER_ROUTINE}("GRANT SELECT ON mysql.global_priv TO ${APP}")`);
      assert.match(await appGrants(), /GRANT SELECT ON `mysql`\.`global_priv` TO `app`@`127\.0\.0\.1`/);
    } finally {
      await asRoot(`${revokeSystemGrants}; DROP PROCEDURE app.${DEFINER_ROUTINE}`);
    }
  });

  test('the same in a database the application holds nothing on, EXECUTE granted through a role, then to PUBLIC: fails, saying how', async () => {
    await asRoot([procedure('ops.run', 'IN statement TEXT', 'PREPARE s FROM statement; EXECUTE s; DEALLOCATE PREPARE s;'), 'CREATE ROLE r_exec', 'GRANT EXECUTE ON PROCEDURE ops.run TO r_exec', `GRANT r_exec TO ${APP}`].join(';\n'));
    try {
      const nobody = await decideCheck(appNotSuperuser, target);
      assert.equal(nobody.decision.verdict, 'failed', nobody.decision.reason);
      assert.match(nobody.decision.reason, /'app'@'127\.0\.0\.1' may EXECUTE PROCEDURE ops\.run, through role r_exec, SQL SECURITY DEFINER 'root'@'localhost' \(it holds ALL PRIVILEGES ON \*\.\*\): it runs the statement its caller passes as statement/);
      await asRoot(`REVOKE r_exec FROM ${APP}; GRANT EXECUTE ON ops.* TO PUBLIC`);
      const everyone = await decide();
      assert.equal(everyone.verdict, 'failed', everyone.reason);
      assert.match(everyone.reason, new RegExp(`${APP_ACCOUNTS} may EXECUTE PROCEDURE ops\\.run, granted to PUBLIC, SQL SECURITY DEFINER 'root'@'localhost'`));
      await asApp(`CALL ops.run("GRANT SELECT ON mysql.global_priv TO ${APP}")`);
      assert.match(await appGrants(), /GRANT SELECT ON `mysql`\.`global_priv`/);
    } finally {
      await asRoot(`${revokeSystemGrants}; REVOKE EXECUTE ON ops.* FROM PUBLIC; DROP ROLE r_exec; DROP PROCEDURE ops.run`);
    }
  });

  // A role granted ALL PRIVILEGES without GRANT OPTION holds each power on its own, SUPER first.
  test("a role as DEFINER (MariaDB's bare role name), an @variable the caller sets, and a statement the caller PREPAREd: each fails", async () => {
    await asRoot(
      [
        'CREATE ROLE r_admin',
        'GRANT ALL PRIVILEGES ON *.* TO r_admin',
        procedure('app.as_role', 'IN statement TEXT', 'PREPARE s FROM statement; EXECUTE s;', { definer: 'r_admin' }),
        procedure('app.from_session', '', 'PREPARE s FROM @sql; EXECUTE s;'),
        procedure('app.run_prepared', '', 'EXECUTE s2;'),
      ].join(';\n'),
    );
    try {
      const decided = await decide();
      assert.equal(decided.verdict, 'failed', decided.reason);
      assert.match(decided.reason, /may EXECUTE PROCEDURE app\.as_role, SQL SECURITY DEFINER 'r_admin'@'' \(it holds SUPER, and \d+ more administrator's powers\): it runs the statement its caller passes as statement, as 'r_admin'@''/);
      assert.match(decided.reason, /may EXECUTE PROCEDURE app\.from_session, .*: it runs the statement its caller leaves in @sql \(a session variable the routine never sets\), as 'root'@'localhost'/);
      assert.match(decided.reason, /may EXECUTE PROCEDURE app\.run_prepared, .*: it EXECUTEs prepared statement s2, which it never PREPAREs: the statement its caller prepared under that name runs as 'root'@'localhost'/);
      await asApp(`SET @sql = "GRANT SELECT ON mysql.user TO ${APP}"`, 'CALL app.from_session()');
      await asApp(`PREPARE s2 FROM "GRANT SELECT ON mysql.db TO ${APP}"`, 'CALL app.run_prepared()');
      // Without GRANT OPTION the role grants nothing, but it creates an account (a running routine of a role is ''@'').
      await asApp(`CALL app.as_role("CREATE USER 'made_by_app'@'localhost'")`);
      assert.match(await asRoot("SELECT User FROM mysql.global_priv WHERE User = 'made_by_app'"), /made_by_app/);
      const grants = await appGrants();
      for (const table of ['user', 'db']) assert.match(grants, new RegExp(`GRANT SELECT ON \`mysql\`\\.\`${table}\``), grants);
    } finally {
      await asRoot(`${revokeSystemGrants}; DROP USER IF EXISTS 'made_by_app'@'localhost'; DROP PROCEDURE app.as_role; DROP PROCEDURE app.from_session; DROP PROCEDURE app.run_prepared; DROP ROLE r_admin`);
    }
  });

  test('no dynamic SQL, in a database where the application holds EXECUTE only: passes, naming it as not counted', async () => {
    await asRoot([procedure('ops.count_items', 'OUT n INT', 'SELECT COUNT(*) INTO n FROM items;'), `GRANT EXECUTE ON ops.* TO ${APP}`].join(';\n'));
    try {
      const decided = await decide();
      assert.equal(decided.verdict, 'passed', decided.reason);
      assert.match(decided.reason, /1 of them an administrator's that it may EXECUTE \(not counted, having no dynamic SQL, no administrator's statement, no stored function call and nothing the application may replace: PROCEDURE ops\.count_items\)/);
    } finally {
      await asRoot(`REVOKE EXECUTE ON ops.* FROM ${APP}; DROP PROCEDURE ops.count_items`);
    }
  });

  test("no dynamic SQL, in the application's own database (ALL on app.*): undecided, and an INVOKER view over an INVOKER function it puts in the table's place runs as root", async () => {
    await asRoot(procedure('app.count_items', 'OUT n INT', 'SELECT COUNT(*) INTO n FROM items;'));
    try {
      const decided = await decide();
      assert.equal(decided.verdict, 'undecided', decided.reason);
      assert.match(
        decided.reason,
        new RegExp(
          `through an administrator's SQL SECURITY DEFINER routine could not be decided: ${APP_ACCOUNTS} may EXECUTE PROCEDURE app\\.count_items, SQL SECURITY DEFINER 'root'@'localhost' \\(it holds ALL PRIVILEGES ON \\*\\.\\*\\): the application may create or replace objects where it looks names up \\('app'@'127\\.0\\.0\\.1' holds CREATE, DROP, ALTER, CREATE VIEW, CREATE ROUTINE, ALTER ROUTINE on app\\.\\*; 'app'@'localhost' holds .* on app\\.\\*\\): an SQL SECURITY INVOKER view or function put in place of a table or function it uses runs as 'root'@'localhost'`,
        ),
      );
      // Why: with binary logging on, creating a function asks for SUPER unless log_bin_trust_function_creators is on (as on managed servers).
      await asRoot('SET GLOBAL log_bin_trust_function_creators = 1');
      await asApp(
        'DROP TABLE app.items',
        "CREATE FUNCTION app.escalate() RETURNS INT SQL SECURITY INVOKER BEGIN UPDATE mysql.global_priv SET Priv = JSON_SET(Priv, '$.access', 1073741823) WHERE User = 'app' AND Host = '127.0.0.1'; RETURN 1; END",
        'CREATE SQL SECURITY INVOKER VIEW app.items AS SELECT app.escalate() AS id',
      );
      await assert.rejects(asApp('SELECT * FROM app.items'), /lack rights/, 'as itself the application may not write mysql.global_priv');
      await asApp('CALL app.count_items(@n)');
      assert.match(await asRoot("SELECT JSON_VALUE(Priv, '$.access') AS access FROM mysql.global_priv WHERE User = 'app' AND Host = '127.0.0.1'"), /1073741823/);
    } finally {
      await asRoot(
        "UPDATE mysql.global_priv SET Priv = JSON_SET(Priv, '$.access', 0) WHERE User = 'app' AND Host = '127.0.0.1'; FLUSH PRIVILEGES; SET GLOBAL log_bin_trust_function_creators = 0; " +
          'DROP PROCEDURE app.count_items; DROP VIEW IF EXISTS app.items; DROP FUNCTION IF EXISTS app.escalate; CREATE TABLE IF NOT EXISTS app.items (id INT)',
      );
    }
  });

  test('not counted: an INVOKER procedure of root, and a DEFINER procedure whose definer is no administrator', async () => {
    await asRoot(
      [
        procedure('app.as_caller', 'IN statement TEXT', 'PREPARE s FROM statement; EXECUTE s;', { security: 'INVOKER' }),
        `GRANT SELECT ON ops.* TO '${LOCKOUT_USER}'@'127.0.0.1'`,
        procedure('app.as_ordinary', 'IN statement TEXT', 'PREPARE s FROM statement; EXECUTE s;', { definer: `'${LOCKOUT_USER}'@'127.0.0.1'` }),
      ].join(';\n'),
    );
    try {
      const decided = await decide();
      assert.equal(decided.verdict, 'passed', decided.reason);
      assert.match(decided.reason, /0 of them an administrator's that it may EXECUTE/);
    } finally {
      await asRoot(`DROP PROCEDURE app.as_caller; DROP PROCEDURE app.as_ordinary; REVOKE SELECT ON ops.* FROM '${LOCKOUT_USER}'@'127.0.0.1'`);
    }
  });

  // MySQL 8 has no mysql.proc: its bodies come from information_schema.ROUTINES and its parameters from information_schema.PARAMETERS, read here on MariaDB.
  test("a mysql.db row for any user name (the old 'test\\_%' default) hands every account EXECUTE and CREATE there: root's routine fails, a static one is undecided", async () => {
    // The row the old installers wrote: User '' holds for every user name from a matching host, not for an anonymous account alone.
    await asRoot(
      [
        'CREATE DATABASE test_ops',
        procedure('test_ops.run', 'IN statement TEXT', 'PREPARE s FROM statement; EXECUTE s; DEALLOCATE PREPARE s;'),
        "INSERT INTO mysql.db (Host, Db, User, Execute_priv, Create_priv, Drop_priv) VALUES ('%', 'test\\\\_%', '', 'Y', 'Y', 'Y')",
        'FLUSH PRIVILEGES',
      ].join(';\n'),
    );
    try {
      const decided = await decide();
      assert.equal(decided.verdict, 'failed', decided.reason);
      assert.match(decided.reason, /may EXECUTE PROCEDURE test_ops\.run, through mysql\.db's row for any user name \('' at host '%'\) on test\\_%\.\*, SQL SECURITY DEFINER 'root'@'localhost'.*runs the statement its caller passes as statement/);
      await asApp(`CALL test_ops.run("GRANT SELECT ON mysql.global_priv TO ${APP}")`);
      assert.match(await appGrants(), /GRANT SELECT ON `mysql`\.`global_priv`/);
      await asRoot(`${revokeSystemGrants}; DROP PROCEDURE test_ops.run;\n${procedure('test_ops.count_items', 'OUT n INT', 'SELECT COUNT(*) INTO n FROM items;')}`);
      const staticBody = await decide();
      assert.equal(staticBody.verdict, 'undecided', staticBody.reason);
      assert.match(staticBody.reason, /PROCEDURE test_ops\.count_items.*every user name holds CREATE, DROP on test\\_%\.\*/);
    } finally {
      await asRoot(`${revokeSystemGrants}; DELETE FROM mysql.db WHERE User = ''; FLUSH PRIVILEGES; DROP DATABASE test_ops`);
    }
  });

  test("a DEFINER account that does not exist as written runs as the wildcard account the server matches it to: 'boss'@'localhost' is 'boss'@'%'", async () => {
    await asRoot(
      [
        "CREATE USER 'boss'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('Not-used-1')",
        "GRANT ALL PRIVILEGES ON *.* TO 'boss'@'%' WITH GRANT OPTION",
        procedure('app.boss_run', 'IN statement TEXT', 'PREPARE s FROM statement; EXECUTE s; DEALLOCATE PREPARE s;', { definer: "'boss'@'localhost'" }),
      ].join(';\n'),
    );
    try {
      const decided = await decide();
      assert.equal(decided.verdict, 'failed', decided.reason);
      assert.match(decided.reason, /may EXECUTE PROCEDURE app\.boss_run, SQL SECURITY DEFINER 'boss'@'%' \(it holds ALL PRIVILEGES ON \*\.\*\): it runs the statement its caller passes as statement/);
      await asApp(`CALL app.boss_run("GRANT SELECT ON mysql.global_priv TO ${APP}")`);
      assert.match(await appGrants(), /GRANT SELECT ON `mysql`\.`global_priv`/);
    } finally {
      await asRoot(`${revokeSystemGrants}; DROP PROCEDURE app.boss_run; DROP USER 'boss'@'%'`);
    }
  });

  test('information_schema as the source: the body and parameters are read there too', async () => {
    await asRoot([`GRANT SELECT ON *.* TO '${AUDITOR_USER}'@'127.0.0.1'`, procedure('ops.run', 'IN statement TEXT', 'PREPARE s FROM statement; EXECUTE s;'), `GRANT EXECUTE ON ops.* TO ${APP}`].join(';\n'));
    const session = new CatalogSession(target);
    try {
      const { result } = await session.read('the routines', async (sql) => {
        const accounts = await readMysqlAccounts(sql);
        const application = accounts.filter((account) => account.user === 'app');
        return readAdministratorDefinerRoutines(sql, accounts, await readRoleGrants(sql), application, (account) => (account.user === 'root' ? ["'root'@'localhost' holds ALL PRIVILEGES ON *.*"] : []), [
          'information_schema.ROUTINES',
        ]);
      });
      assert.equal(result.source, 'information_schema.ROUTINES');
      assert.deepEqual(
        result.routines.map(({ routine, body, from }) => ({ routine, body, from })),
        [{ routine: 'PROCEDURE ops.run', body: 'caller-statement', from: { kind: 'parameter', name: 'statement' } }],
      );
      assert.ok(!JSON.stringify(result).includes(MARKER));
    } finally {
      await session.close();
      await asRoot(`REVOKE SELECT ON *.* FROM '${AUDITOR_USER}'@'127.0.0.1'; REVOKE EXECUTE ON ops.* FROM ${APP}; DROP PROCEDURE ops.run`);
    }
  });
});
