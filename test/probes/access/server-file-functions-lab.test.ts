/**
 * access.least-privilege and PostgreSQL's server-file functions, on real servers: EXECUTE on any
 * overload of pg_read_file and kin (granted to the role, to PUBLIC, or to a role it inherits from or
 * may SET ROLE to) fails the control, naming role and function, unless the role is declared in
 * allow.privileged; a pass says how many roles x functions it covered. On the machine's
 * PostgreSQL and on the oldest and newest pinned builds (pg_read_file's overloads differ).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { leastPrivilege, type LeastPrivilegeEvidence } from '../../../src/probes/access/least-privilege.js';
import { APP_USER, AUDITOR_USER, MASKED_ROLE } from '../../../src/lab/fixture-accounts.js';
import { SYSTEM_POSTGRES_MAJOR } from '../../../src/lab/postgres-versions.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { postgresVersionAvailability } from '../../support/postgres-versions.js';
import { asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

async function leastPrivilegeOn(target: Target) {
  const outcome = await decideCheck(leastPrivilege, target);
  return { ...outcome.decision, evidence: outcome.evidence as LeastPrivilegeEvidence | undefined };
}

const availability = postgresVersionAvailability();
const OTHER_MAJORS = [13, 18];

for (const major of [SYSTEM_POSTGRES_MAJOR, ...OTHER_MAJORS]) {
  const skip = major !== SYSTEM_POSTGRES_MAJOR && !availability.present.includes(major) ? availability.message ?? `PostgreSQL ${major} is not pinned` : undefined;
  const versionOption = major === SYSTEM_POSTGRES_MAJOR ? {} : { postgresVersion: major };

  describe(`PostgreSQL ${major}`, { skip }, () => {
    test('server-file-function-grant: the application role may read the data directory and fails, named with the function', async () => {
      const server = await startLocalServer('postgres', 'server-file-function-grant', { mode: 'process', ...versionOption });
      try {
        assert.match(server.serverVersion, new RegExp(`^${major}\\.`));
        // The finding is real: as the application role, pg_read_file reads a file of the data directory.
        const [read] = await asAdmin<{ content: string }>(server, [`SET ROLE ${APP_USER}`, "SELECT pg_read_file('PG_VERSION') AS content"]);
        assert.equal(read.content.trim(), String(major));
        const decision = await leastPrivilegeOn(targetForLocalServer(`pg${major}-file-grant`, server, 'baseline'));
        assert.equal(decision.verdict, 'failed', decision.reason);
        assert.match(decision.reason, new RegExp(`${APP_USER} \\(EXECUTE on pg_read_file\\(text\\) \\(reads server files as text\\)\\)`));
        assert.doesNotMatch(decision.reason, new RegExp(`${AUDITOR_USER} \\(`));
      } finally {
        await server.stop();
      }
    });

    test('hardened: every overload is looked at and none is executable; grants to PUBLIC, a group, or a declared role are judged', async () => {
      const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...versionOption });
      try {
        const target = targetForLocalServer(`pg${major}-hardened-files`, server, 'baseline');
        const overloads = await asAdmin<{ signature: string }>(server, [
          "SELECT oid::regprocedure::text AS signature FROM pg_proc WHERE proname IN ('pg_read_file', 'pg_read_binary_file') AND pronamespace = 'pg_catalog'::regnamespace",
        ]);
        const [{ logins }] = await asAdmin<{ logins: number }>(server, ["SELECT count(*)::int AS logins FROM pg_roles WHERE rolcanlogin AND NOT rolsuper AND rolname !~ '^pg_'"]);
        const clean = await leastPrivilegeOn(target);
        assert.equal(clean.verdict, 'passed', clean.reason);
        const functions = clean.evidence!.serverFileFunctions!.functions;
        for (const { signature } of overloads) assert.ok(functions.includes(signature), `${signature} not covered: ${functions.join(', ')}`);
        assert.ok(logins >= 4, `only ${logins} login roles`);
        assert.match(clean.reason, new RegExp(`EXECUTE checked for ${logins} login roles \\(not superusers\\) x ${functions.length} server-file functions`));

        // Granted to PUBLIC: every login role may read server files.
        await asAdmin(server, ['GRANT EXECUTE ON FUNCTION pg_read_binary_file(text) TO PUBLIC']);
        const toPublic = await leastPrivilegeOn(target);
        assert.equal(toPublic.verdict, 'failed', toPublic.reason);
        for (const role of [APP_USER, AUDITOR_USER, MASKED_ROLE]) assert.match(toPublic.reason, new RegExp(`${role} \\(EXECUTE on pg_read_binary_file\\(text\\) \\(reads server files as bytes; granted to PUBLIC\\)\\)`));
        await asAdmin(server, ['REVOKE EXECUTE ON FUNCTION pg_read_binary_file(text) FROM PUBLIC']);

        // Granted to a group the role belongs to: server-side lo_import reads a server file into the database.
        await asAdmin(server, ['CREATE ROLE file_readers NOLOGIN', 'GRANT EXECUTE ON FUNCTION lo_import(text) TO file_readers', `GRANT file_readers TO ${MASKED_ROLE}`]);
        const throughGroup = await leastPrivilegeOn(target);
        assert.equal(throughGroup.verdict, 'failed', throughGroup.reason);
        assert.match(throughGroup.reason, new RegExp(`${MASKED_ROLE} \\(EXECUTE on lo_import\\(text\\) \\(copies a server file into a large object; through role file_readers\\)\\)`));
        assert.doesNotMatch(throughGroup.reason, /file_readers \(/, 'a NOLOGIN role is not listed itself');

        // Declared: passes, and the exception is in the reason.
        const declared = await leastPrivilegeOn({ ...target, allow: { ...target.allow, privileged: [MASKED_ROLE] } });
        assert.equal(declared.verdict, 'passed', declared.reason);
        assert.match(declared.reason, new RegExp(`exempt: ${MASKED_ROLE} \\(declared in allow\\.privileged: EXECUTE on lo_import\\(text\\)`));
      } finally {
        await server.stop();
      }
    });
  });
}

test('PostgreSQL 16+: a role that may only SET ROLE to a holder of pg_read_file fails', { skip: !availability.present.includes(18) && (availability.message ?? 'PostgreSQL 18 is not pinned') }, async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process', postgresVersion: 18 });
  try {
    await asAdmin(server, ['CREATE ROLE log_readers NOLOGIN', 'GRANT EXECUTE ON FUNCTION pg_read_file(text, bigint, bigint) TO log_readers', `GRANT log_readers TO ${APP_USER} WITH INHERIT FALSE, SET TRUE`]);
    const decision = await leastPrivilegeOn(targetForLocalServer('pg18-set-role-files', server, 'baseline'));
    assert.equal(decision.verdict, 'failed', decision.reason);
    assert.match(decision.reason, new RegExp(`${APP_USER} \\(EXECUTE on pg_read_file\\(text,bigint,bigint\\) \\(reads server files as text; through role log_readers\\)\\)`));
  } finally {
    await server.stop();
  }
});

test('log-read-over-sql: the auditor granted pg_read_file for the log is declared in allow.privileged, passes, and the exception is visible', async () => {
  const server = await startLocalServer('postgres', 'log-read-over-sql', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-log-read-over-sql', server, 'baseline');
    assert.deepEqual(target.allow?.privileged, [AUDITOR_USER]);
    const decision = await leastPrivilegeOn(target);
    assert.equal(decision.verdict, 'passed', decision.reason);
    assert.match(decision.reason, new RegExp(`exempt: ${AUDITOR_USER} \\(declared in allow\\.privileged: EXECUTE on pg_read_file\\(text,bigint,bigint\\) .*EXECUTE on pg_stat_file\\(text\\)`));
    // Without the declaration the same grant is the finding.
    const undeclared = await leastPrivilegeOn({ ...target, allow: { ...target.allow, privileged: [] } });
    assert.equal(undeclared.verdict, 'failed', undeclared.reason);
    assert.match(undeclared.reason, new RegExp(`${AUDITOR_USER} \\(EXECUTE on `));
  } finally {
    await server.stop();
  }
});
