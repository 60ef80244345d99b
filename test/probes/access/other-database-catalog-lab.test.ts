/**
 * access.least-privilege, access.public-schema and access.app-not-superuser read every other
 * database through one session per database: counted from a real PostgreSQL server's own connection
 * log, with the checks still passing on a clean server and failing on what another database holds.
 * The application's part is a read of its own in that session: where it fails, only
 * app-not-superuser is undecided; a target without an application account does not read it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { AUDITOR_USER } from '../../../src/lab/fixture-accounts.js';
import { leastPrivilege } from '../../../src/probes/access/least-privilege.js';
import { publicSchema } from '../../../src/probes/access/public-schema.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import { readOtherDatabaseCatalog } from '../../../src/probes/access/other-database-catalog.js';
import { decideControl, observeControl, observeControls } from '../../../src/probes/control-observation.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import type { Decision } from '../../../src/controls/verdict.js';
import { asPostgresAdmin, postgresLogCaughtUp } from '../../support/postgres-admin.js';

const EXTRA_DATABASES = ['hr', 'ops', 'sales'];
const OTHER_DATABASES = [...EXTRA_DATABASES, 'postgres', 'template1'];
let server: LocalServer;

before(async () => {
  server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  for (const database of EXTRA_DATABASES) await asPostgresAdmin(server, [`CREATE DATABASE ${database}`]);
});
after(() => stopAllLocalServers());

const logFile = () => server.logFiles?.[0] ?? assert.fail('the lab server names no log file');
const logLength = async () => (await readFile(logFile(), 'utf8')).length;

/** The auditor's logins per database in the server's log since `offset`. */
async function auditorLogins(offset: number): Promise<Map<string, number>> {
  // A backend logs its login before the client is in: once the log has caught up, every line of the checks' logins is there.
  await postgresLogCaughtUp(server);
  const text = (await readFile(logFile(), 'utf8')).slice(offset);
  const logins = new Map<string, number>();
  for (const match of text.matchAll(new RegExp(`connection authorized: user=${AUDITOR_USER} database=(\\S+)`, 'g'))) logins.set(match[1], (logins.get(match[1]) ?? 0) + 1);
  return logins;
}

/** The three checks, started together as a target's run starts them. */
async function decideAll(name: string): Promise<{ privileges: Decision; schema: Decision; superuser: Decision; logins: Map<string, number> }> {
  const offset = await logLength();
  const target = targetForLocalServer(name, server, 'baseline');
  const context = new TargetContext(target);
  try {
    await observeControls(context, [leastPrivilege, publicSchema, appNotSuperuser]);
    const privileges = decideControl(leastPrivilege, await observeControl(context, leastPrivilege), target);
    const schema = decideControl(publicSchema, await observeControl(context, publicSchema), target);
    const superuser = decideControl(appNotSuperuser, await observeControl(context, appNotSuperuser), target);
    return { privileges, schema, superuser, logins: await auditorLogins(offset) };
  } finally {
    await context.close();
  }
}

test('the three checks read all five other databases, logging in once in each', async () => {
  const { privileges, schema, superuser, logins } = await decideAll('shared-reads');
  assert.equal(privileges.verdict, 'passed', privileges.reason);
  assert.match(privileges.reason, /and 5 other databases that accept connections \(hr, ops, postgres, sales, template1\)/);
  assert.equal(schema.verdict, 'passed', schema.reason);
  for (const database of OTHER_DATABASES) assert.match(schema.reason, new RegExp(`\\b${database}\\b`));
  assert.equal(superuser.verdict, 'passed', superuser.reason);
  assert.match(superuser.reason, /read in the 5 other databases it may connect to \(hr, ops, postgres, sales, template1\)/);
  for (const database of OTHER_DATABASES) assert.equal(logins.get(database), 1, `auditor logins in ${database}: ${JSON.stringify([...logins])}`);
});

test('what one other database holds still fails each check, from the one shared read', async () => {
  await asPostgresAdmin(server, ['GRANT CREATE ON SCHEMA public TO PUBLIC', 'GRANT EXECUTE ON FUNCTION pg_read_file(text) TO app', 'GRANT EXECUTE ON FUNCTION lo_export(oid, text) TO app'], 'ops');
  try {
    const { privileges, schema, superuser, logins } = await decideAll('shared-reads-weak');
    assert.equal(privileges.verdict, 'failed', privileges.reason);
    assert.match(privileges.reason, /app \(.*EXECUTE on pg_read_file\(text\).* in database "ops"/);
    assert.equal(schema.verdict, 'failed', schema.reason);
    assert.match(schema.reason, /ops/);
    assert.equal(superuser.verdict, 'failed', superuser.reason);
    assert.match(superuser.reason, /in database "ops": .*lo_export/);
    assert.equal(logins.get('ops'), 1);
  } finally {
    await asPostgresAdmin(server, ['REVOKE CREATE ON SCHEMA public FROM PUBLIC', 'REVOKE EXECUTE ON FUNCTION pg_read_file(text) FROM app', 'REVOKE EXECUTE ON FUNCTION lo_export(oid, text) FROM app'], 'ops');
  }
});

test("the application's part failing in one database leaves app-not-superuser undecided there, and the others decided", async () => {
  // Only the application's part reads pg_user_mappings (its foreign logins): the auditor may not, in ops.
  await asPostgresAdmin(server, ['REVOKE SELECT ON pg_catalog.pg_user_mappings FROM PUBLIC'], 'ops');
  try {
    const { privileges, schema, superuser, logins } = await decideAll('shared-reads-application-part-fails');
    assert.equal(privileges.verdict, 'passed', privileges.reason);
    assert.match(privileges.reason, /and 5 other databases that accept connections \(hr, ops, postgres, sales, template1\)/);
    assert.equal(schema.verdict, 'passed', schema.reason);
    assert.equal(superuser.verdict, 'undecided', superuser.reason);
    assert.match(superuser.reason, /database "ops", which it may connect to, could not be read \(cannot read the application account's privileges in database "ops" as "auditor": .*permission denied/);
    assert.doesNotMatch(superuser.reason, /database "(hr|postgres|sales|template1)"/);
    for (const database of OTHER_DATABASES) assert.equal(logins.get(database), 1, `auditor logins in ${database}: ${JSON.stringify([...logins])}`);
  } finally {
    await asPostgresAdmin(server, ['GRANT SELECT ON pg_catalog.pg_user_mappings TO PUBLIC'], 'ops');
  }
});

test('a target without an application account reads no application part, and still once per database', async () => {
  const offset = await logLength();
  const target = { ...targetForLocalServer('shared-reads-no-application', server, 'baseline'), user: undefined };
  const context = new TargetContext(target);
  try {
    await observeControls(context, [leastPrivilege, publicSchema]);
    const privileges = decideControl(leastPrivilege, await observeControl(context, leastPrivilege), target);
    assert.equal(privileges.verdict, 'passed', privileges.reason);
    const catalog = await readOtherDatabaseCatalog(context);
    assert.equal(catalog.application, undefined);
    assert.deepEqual(catalog.results.map(({ database }) => database), [...OTHER_DATABASES].sort());
  } finally {
    await context.close();
  }
  const logins = await auditorLogins(offset);
  for (const database of OTHER_DATABASES) assert.equal(logins.get(database), 1, `auditor logins in ${database}: ${JSON.stringify([...logins])}`);
});
