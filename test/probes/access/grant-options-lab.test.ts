/**
 * access.least-privilege and PostgreSQL's grant options, on real servers: a role that may pass a
 * right on (WITH GRANT OPTION on an object it does not own, WITH ADMIN OPTION on a role, or through
 * default privileges) fails, named with the object, as does CREATE granted to PUBLIC on a schema
 * other than public (every role may then plant objects in another owner's schema); and rights
 * granted in another database than the target's. On the machine's PostgreSQL and on the oldest
 * and newest pinned builds.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { leastPrivilege } from '../../../src/probes/access/least-privilege.js';
import { APP_USER, AUDITOR_USER, LOCKOUT_USER, MASKED_ROLE } from '../../../src/lab/fixture-accounts.js';
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
  });
}
