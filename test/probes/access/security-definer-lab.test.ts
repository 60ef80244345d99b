/**
 * access.least-privilege and routines that run with their owner's rights, on real servers: a
 * PostgreSQL SECURITY DEFINER function owned by a superuser (or by a role holding a forbidden right)
 * that a non-admin account may EXECUTE, and a MariaDB SQL SECURITY DEFINER procedure whose DEFINER is
 * an administrator, hand that account the owner's power (`SELECT public.run('ALTER ROLE app
 * SUPERUSER')`). Both passed before the routines were read. On the machine's PostgreSQL and the
 * oldest and newest pinned builds, and on MariaDB 10.11.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { leastPrivilege } from '../../../src/probes/access/least-privilege.js';
import { APP_USER, LOCKOUT_USER, MASKED_ROLE } from '../../../src/lab/fixture-accounts.js';
import { SYSTEM_POSTGRES_MAJOR } from '../../../src/lab/postgres-versions.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { postgresVersionAvailability } from '../../support/postgres-versions.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';
import { CatalogSession } from '../../../src/sessions/catalog-session.js';
import { readMysqlAccounts } from '../../../src/probes/catalog/mysql-accounts.js';
import { readStoredRoutines } from '../../../src/probes/catalog/mysql-stored-routines.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

async function leastPrivilegeOn(target: Target) {
  return (await decideCheck(leastPrivilege, target)).decision;
}

/** The brief's example: whoever may call it runs any statement as its owner. */
const RUN_ANYTHING = `CREATE FUNCTION public.run(text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN EXECUTE $1; END $$`;

const availability = postgresVersionAvailability();

for (const major of [SYSTEM_POSTGRES_MAJOR, 13, 18]) {
  const skip = major !== SYSTEM_POSTGRES_MAJOR && !availability.present.includes(major) ? availability.message ?? `PostgreSQL ${major} is not pinned` : undefined;
  const versionOption = major === SYSTEM_POSTGRES_MAJOR ? {} : { postgresVersion: major };

  describe(`PostgreSQL ${major}: SECURITY DEFINER functions`, { skip }, () => {
    let server: LocalServer;
    let target: Target;
    before(async () => {
      server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...versionOption });
      target = targetForLocalServer(`pg${major}-security-definer`, server, 'baseline');
    });
    after(() => server?.stop());

    test("a superuser's SECURITY DEFINER function that PUBLIC may execute fails, named with its owner and who can run it", async () => {
      await asAdmin(server, [RUN_ANYTHING]);
      try {
        const decided = await leastPrivilegeOn(target);
        assert.equal(decided.verdict, 'failed', decided.reason);
        assert.match(decided.reason, /public\.run\(text\) in database "app" owned by postgres \(superuser\)/);
        assert.match(decided.reason, new RegExp(`executable by PUBLIC \\(every role\\): \\d+ non-admin login roles \\(.*${APP_USER}.*\\)`));
        // The power is real: the application account, over TLS with its own password, makes itself a superuser through it.
        await asPostgresAccount(server, "SELECT public.run('ALTER ROLE app SUPERUSER')");
        assert.deepEqual(await asAdmin(server, ["SELECT rolsuper FROM pg_roles WHERE rolname = 'app'"]), [{ rolsuper: true }]);
      } finally {
        await asAdmin(server, ['ALTER ROLE app NOSUPERUSER', 'DROP FUNCTION public.run(text)']);
      }
    });

    test('the hardened server passes, saying what it examined', async () => {
      const decided = await leastPrivilegeOn(target);
      assert.equal(decided.verdict, 'passed', decided.reason);
      assert.match(decided.reason, /\d+ routines in 3 databases examined, none SECURITY DEFINER with an owner holding forbidden rights executable by any of \d+ non-admin login roles/);
    });

    test('the same function as a member of an extension is vendor code: left out, and counted in the evidence', async () => {
      await asAdmin(server, [RUN_ANYTHING, 'ALTER EXTENSION plpgsql ADD FUNCTION public.run(text)']);
      try {
        const decided = await leastPrivilegeOn(target);
        assert.equal(decided.verdict, 'passed', decided.reason);
        assert.match(decided.reason, /left out: 1 SECURITY DEFINER routine that belongs to an extension/);
      } finally {
        await asAdmin(server, ['ALTER EXTENSION plpgsql DROP FUNCTION public.run(text)', 'DROP FUNCTION public.run(text)']);
      }
    });

    test("a function owned by a CREATEROLE role, granted to one account in another database, fails until that account is declared", async () => {
      await asAdmin(server, ['CREATE DATABASE ledger', 'CREATE ROLE provisioner CREATEROLE NOLOGIN']);
      await asAdmin(
        server,
        [
          'CREATE SCHEMA ops AUTHORIZATION provisioner',
          "CREATE FUNCTION ops.add_role(text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN EXECUTE format('CREATE ROLE %I', $1); END $$",
          'ALTER FUNCTION ops.add_role(text) OWNER TO provisioner',
          'REVOKE EXECUTE ON FUNCTION ops.add_role(text) FROM PUBLIC',
          'GRANT USAGE ON SCHEMA ops TO PUBLIC',
          `GRANT EXECUTE ON FUNCTION ops.add_role(text) TO ${LOCKOUT_USER}`,
        ],
        'ledger',
      );
      try {
        const decided = await leastPrivilegeOn(target);
        assert.equal(decided.verdict, 'failed', decided.reason);
        assert.match(decided.reason, new RegExp(`ops\\.add_role\\(text\\) in database "ledger" owned by provisioner \\(CREATEROLE\\), executable by 1 non-admin login role: ${LOCKOUT_USER}`));
        // Declaring the owner accepts its rights, not handing them to others.
        const ownerDeclared = await leastPrivilegeOn({ ...target, allow: { ...target.allow, privileged: ['provisioner'] } });
        assert.equal(ownerDeclared.verdict, 'failed', ownerDeclared.reason);
        assert.match(ownerDeclared.reason, /ops\.add_role\(text\)/);
        const declared = await leastPrivilegeOn({ ...target, allow: { ...target.allow, privileged: ['provisioner', LOCKOUT_USER] } });
        assert.equal(declared.verdict, 'passed', declared.reason);
        assert.match(declared.reason, new RegExp(`ops\\.add_role\\(text\\) in database "ledger" \\(executable by ${LOCKOUT_USER}, declared in allow\\.privileged\\)`));
      } finally {
        await asAdmin(server, ['DROP DATABASE ledger', 'DROP ROLE provisioner']);
      }
    });

    test("EXECUTE through a group role, not PUBLIC: the member is named, with the role", async () => {
      await asAdmin(server, [RUN_ANYTHING, 'CREATE ROLE statement_runners NOLOGIN', `GRANT statement_runners TO ${MASKED_ROLE}`, 'REVOKE EXECUTE ON FUNCTION public.run(text) FROM PUBLIC', 'GRANT EXECUTE ON FUNCTION public.run(text) TO statement_runners']);
      try {
        const decided = await leastPrivilegeOn(target);
        assert.equal(decided.verdict, 'failed', decided.reason);
        assert.match(decided.reason, new RegExp(`public\\.run\\(text\\) in database "app" owned by postgres \\(superuser\\), executable by 1 non-admin login role: ${MASKED_ROLE} \\(through role statement_runners\\)`));
        // Without USAGE on its schema nobody can call it, EXECUTE or not.
        await asAdmin(server, ['CREATE SCHEMA vault', 'ALTER FUNCTION public.run(text) SET SCHEMA vault']);
        const unreachable = await leastPrivilegeOn(target);
        assert.equal(unreachable.verdict, 'passed', unreachable.reason);
      } finally {
        await asAdmin(server, ['DROP SCHEMA IF EXISTS vault CASCADE', 'DROP FUNCTION IF EXISTS public.run(text)', 'DROP ROLE statement_runners']);
      }
    });

    test('EXECUTE through one role and USAGE on its schema through another, neither inherited: the member still runs it, and it fails', async () => {
      // least-privilege asked for one role holding both and passed this; app-not-superuser's read asked as here.
      await asAdmin(server, [
        'CREATE SCHEMA hidden',
        'CREATE FUNCTION hidden.whoami() RETURNS text LANGUAGE sql SECURITY DEFINER AS $$ SELECT current_user::text $$',
        'REVOKE EXECUTE ON FUNCTION hidden.whoami() FROM PUBLIC',
        'CREATE ROLE runs_it NOLOGIN',
        'CREATE ROLE sees_it NOLOGIN',
        'GRANT EXECUTE ON FUNCTION hidden.whoami() TO runs_it',
        'GRANT USAGE ON SCHEMA hidden TO sees_it',
        `ALTER ROLE ${APP_USER} NOINHERIT`,
        `GRANT runs_it, sees_it TO ${APP_USER}`,
      ]);
      try {
        const decided = await leastPrivilegeOn(target);
        assert.equal(decided.verdict, 'failed', decided.reason);
        assert.match(decided.reason, new RegExp(`hidden\\.whoami\\(\\) in database "app" owned by postgres \\(superuser\\), executable by 1 non-admin login role: ${APP_USER} \\(through role runs_it\\)`));
        // The power is real: the name is looked up as the one role when the call is prepared, EXECUTE checked as the other when it runs.
        const ran = await asPostgresAccount(server, 'SET ROLE sees_it; PREPARE whoami AS SELECT hidden.whoami() AS who; SET ROLE runs_it; EXECUTE whoami');
        assert.deepEqual(ran, [{ who: 'postgres' }]);
      } finally {
        await asAdmin(server, [`REVOKE runs_it, sees_it FROM ${APP_USER}`, `ALTER ROLE ${APP_USER} INHERIT`, 'DROP SCHEMA hidden CASCADE', 'DROP ROLE runs_it', 'DROP ROLE sees_it']);
      }
    });

    test('16+: a membership that allows SET ROLE only still lets the member run it; one that allows neither does not', { skip: major < 16 ? 'membership options came with 16' : undefined }, async () => {
      await asAdmin(server, [RUN_ANYTHING, 'CREATE ROLE statement_runners NOLOGIN', 'REVOKE EXECUTE ON FUNCTION public.run(text) FROM PUBLIC', 'GRANT EXECUTE ON FUNCTION public.run(text) TO statement_runners', `GRANT statement_runners TO ${MASKED_ROLE} WITH INHERIT FALSE, SET TRUE`]);
      try {
        const settable = await leastPrivilegeOn(target);
        assert.equal(settable.verdict, 'failed', settable.reason);
        assert.match(settable.reason, new RegExp(`executable by 1 non-admin login role: ${MASKED_ROLE} \\(through role statement_runners\\)`));
        await asAdmin(server, [`REVOKE statement_runners FROM ${MASKED_ROLE}`, `GRANT statement_runners TO ${MASKED_ROLE} WITH INHERIT FALSE, SET FALSE`]);
        const inert = await leastPrivilegeOn(target);
        assert.equal(inert.verdict, 'passed', inert.reason);
      } finally {
        await asAdmin(server, ['DROP FUNCTION public.run(text)', 'DROP ROLE statement_runners']);
      }
    });

    test('a SECURITY DEFINER function of an ordinary owner hands over nothing forbidden -> passed', async () => {
      await asAdmin(server, [RUN_ANYTHING, `ALTER FUNCTION public.run(text) OWNER TO ${APP_USER}`]);
      try {
        const decided = await leastPrivilegeOn(target);
        assert.equal(decided.verdict, 'passed', decided.reason);
      } finally {
        await asAdmin(server, ['DROP FUNCTION public.run(text)']);
      }
    });
  });
}

describe('MariaDB: SQL SECURITY DEFINER routines', () => {
  let server: LocalServer;
  let target: Target;
  let asRoot: (sql: string) => Promise<string>;
  before(async () => {
    server = await startLocalServer('mysql', 'hardened', { mode: 'process' });
    target = targetForLocalServer('mariadb-security-definer', server, 'baseline');
    asRoot = asMariaDbRoot(server);
  });
  after(() => server?.stop());

  // The client splits its input at ';', the body's too, unless the delimiter is changed around it.
  const runAnything = (name: string, security: 'DEFINER' | 'INVOKER', definer = "'root'@'localhost'") =>
    `DELIMITER //\nCREATE DEFINER=${definer} PROCEDURE ${name}(IN statement TEXT) SQL SECURITY ${security} BEGIN PREPARE s FROM statement; EXECUTE s; DEALLOCATE PREPARE s; END//\nDELIMITER ;\nDO 0`;

  test("root's DEFINER procedure in the application database (app holds ALL on app.*) fails, named with its definer and who can run it", async () => {
    await asRoot(runAnything('app.run', 'DEFINER'));
    try {
      const decided = await leastPrivilegeOn(target);
      assert.equal(decided.verdict, 'failed', decided.reason);
      assert.match(decided.reason, /PROCEDURE app\.run defined by 'root'@'localhost' \(administrator: SUPER \/ ALL PRIVILEGES\), executable by 2 non-admin accounts: 'app'@'127\.0\.0\.1', 'app'@'localhost'/);
    } finally {
      await asRoot('DROP PROCEDURE app.run');
    }
  });

  // MariaDB keeps a role's DEFINER as its bare name, "r_admin" (no '@'), and runs the routine with the role's privileges.
  test('a DEFINER procedure whose definer is a role holding ALL PRIVILEGES fails, named with the role', async () => {
    await asRoot(['CREATE ROLE r_admin', 'GRANT ALL PRIVILEGES ON *.* TO r_admin', runAnything('app.run_as_role', 'DEFINER', 'r_admin')].join(';\n'));
    try {
      const decided = await leastPrivilegeOn(target);
      assert.equal(decided.verdict, 'failed', decided.reason);
      assert.match(decided.reason, /PROCEDURE app\.run_as_role defined by 'r_admin'@'' \(administrator: SUPER \/ ALL PRIVILEGES\), executable by 2 non-admin accounts/);
    } finally {
      await asRoot('DROP PROCEDURE app.run_as_role; DROP ROLE r_admin');
    }
  });

  test('the hardened server passes, saying what it examined', async () => {
    const decided = await leastPrivilegeOn(target);
    assert.equal(decided.verdict, 'passed', decided.reason);
    assert.match(decided.reason, /\d+ routines \(mysql\.proc\) examined, none SQL SECURITY DEFINER with a definer holding forbidden rights executable by any of \d+ non-admin accounts/);
  });

  test('EXECUTE on one routine granted to one account, whose definer holds FILE, fails naming that account', async () => {
    await asRoot(
      [
        'CREATE DATABASE ops',
        "CREATE USER 'loader'@'localhost' ACCOUNT LOCK",
        "GRANT FILE ON *.* TO 'loader'@'localhost'",
        runAnything('ops.load', 'DEFINER', "'loader'@'localhost'"),
        `GRANT EXECUTE ON PROCEDURE ops.load TO '${LOCKOUT_USER}'@'127.0.0.1'`,
      ].join(';\n'),
    );
    try {
      const decided = await leastPrivilegeOn(target);
      assert.equal(decided.verdict, 'failed', decided.reason);
      assert.match(decided.reason, new RegExp(`PROCEDURE ops\\.load defined by 'loader'@'localhost' \\(FILE \\(reads and writes server files\\)\\), executable by 1 non-admin account: '${LOCKOUT_USER}'@'127\\.0\\.0\\.1'`));
    } finally {
      await asRoot("DROP DATABASE ops; DROP USER 'loader'@'localhost'");
    }
  });

  test("EXECUTE through a role, then through PUBLIC: the member, then every account; a declared member is accepted", async () => {
    await asRoot(
      ['CREATE DATABASE ops', runAnything('ops.run', 'DEFINER'), 'CREATE ROLE r_exec', 'GRANT EXECUTE ON PROCEDURE ops.run TO r_exec', `GRANT r_exec TO '${MASKED_ROLE}'@'127.0.0.1'`].join(';\n'),
    );
    try {
      const viaRole = await leastPrivilegeOn(target);
      assert.equal(viaRole.verdict, 'failed', viaRole.reason);
      assert.match(viaRole.reason, new RegExp(`PROCEDURE ops\\.run defined by 'root'@'localhost' \\(administrator: SUPER / ALL PRIVILEGES\\), executable by 1 non-admin account: '${MASKED_ROLE}'@'127\\.0\\.0\\.1' \\(through role r_exec\\)`));
      const declared = await leastPrivilegeOn({ ...target, allow: { ...target.allow, privileged: [MASKED_ROLE] } });
      assert.equal(declared.verdict, 'passed', declared.reason);
      assert.match(declared.reason, new RegExp(`routines accepted: PROCEDURE ops\\.run \\(executable by '${MASKED_ROLE}'@'127\\.0\\.0\\.1', declared in allow\\.privileged\\)`));
      await asRoot('GRANT EXECUTE ON ops.* TO PUBLIC');
      const everyone = await leastPrivilegeOn({ ...target, allow: { ...target.allow, privileged: [MASKED_ROLE] } });
      assert.equal(everyone.verdict, 'failed', everyone.reason);
      assert.match(everyone.reason, /PROCEDURE ops\.run defined by 'root'@'localhost' \(administrator: SUPER \/ ALL PRIVILEGES\), executable by PUBLIC \(every account\): \d+ non-admin accounts/);
    } finally {
      await asRoot('REVOKE EXECUTE ON ops.* FROM PUBLIC; DROP ROLE r_exec; DROP DATABASE ops');
    }
  });

  // MySQL 8 has no mysql.proc; its fallback, information_schema.ROUTINES, is exercised here on MariaDB.
  test('information_schema.ROUTINES as the list: refused while the auditor lacks SELECT on *.*, read once it holds it', async () => {
    await asRoot(runAnything('app.run', 'DEFINER'));
    const listAs = async () => {
      const session = new CatalogSession(target);
      try {
        return (await session.read('the stored routines', async (sql) => readStoredRoutines(sql, await readMysqlAccounts(sql), ['information_schema.ROUTINES']))).result;
      } finally {
        await session.close();
      }
    };
    try {
      const partial = await listAs();
      assert.ok('problem' in partial, JSON.stringify(partial));
      assert.match(partial.problem, /lists only the routines the reading account auditor@127\.0\.0\.1 may see, and it holds neither SELECT on \*\.\* nor SHOW_ROUTINE/);
      await asRoot("GRANT SELECT ON *.* TO 'auditor'@'127.0.0.1'");
      const listed = await listAs();
      assert.ok('stored' in listed, JSON.stringify(listed));
      assert.equal(listed.source, 'information_schema.ROUTINES');
      assert.deepEqual(
        listed.stored.filter((routine) => routine.db === 'app'),
        [{ db: 'app', name: 'run', type: 'PROCEDURE', security_type: 'DEFINER', definer: 'root@localhost' }],
      );
    } finally {
      await asRoot("REVOKE SELECT ON *.* FROM 'auditor'@'127.0.0.1'; DROP PROCEDURE app.run");
    }
  });

  test('an INVOKER procedure of root runs with the caller\'s rights -> passed', async () => {
    await asRoot(runAnything('app.run_as_caller', 'INVOKER'));
    try {
      const decided = await leastPrivilegeOn(target);
      assert.equal(decided.verdict, 'passed', decided.reason);
    } finally {
      await asRoot('DROP PROCEDURE app.run_as_caller');
    }
  });
});
