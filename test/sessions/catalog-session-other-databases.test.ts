/**
 * The sessions that read the other databases of a PostgreSQL server log in as the account the
 * catalog session got in with, against a real server with the local identity stand-in: when the
 * declared auditor's password is refused and the catalog is read with the Entra token instead, the
 * refused password is not tried again in every other database (each try is one more failed
 * password login in the server's log, and Azure's connection throttling counts them per address).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startLocalServer, stopAllLocalServers, STAND_IN_PRINCIPAL, type LocalServer } from '../../src/lab/local-server.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { readEveryOtherDatabase } from '../../src/probes/catalog/other-databases.js';
import { TargetContext } from '../../src/probes/target-context.js';
import { rememberAccountPassword, rememberEntraClientSecret } from '../../src/targets/secret-store.js';
import { postgresLogCaughtUp } from '../support/postgres-admin.js';

let server: LocalServer;
before(async () => {
  server = await startLocalServer('postgres', 'hardened', { withIdentityStandIn: true });
});
after(() => stopAllLocalServers());

const failedFor = async (file: string, user: string) => (await readFile(file, 'utf8')).split('\n').filter((line) => line.includes(`password authentication failed for user "${user}"`)).length;

test('the auditor password refused once: every other database is read with the token, and the password is not tried again', async () => {
  const lab = targetForLocalServer('other-db-refused-lab', server, 'baseline');
  const auditor = lab.auditor!;
  const logFile = lab.logs?.files?.[0];
  assert.ok(logFile, 'the hardened lab server writes a log file');
  rememberAccountPassword('other-db-refused', auditor, 'not-the-auditor-password');
  rememberEntraClientSecret('other-db-refused', server.identityStandIn!.clientSecret);
  const target = { ...lab, name: 'other-db-refused' };
  const before = await failedFor(logFile, auditor);
  const context = new TargetContext(target);
  try {
    const { readAs } = await context.catalog.read('who reads', (session) => session.query('SELECT 1'));
    assert.match(readAs, new RegExp(`read as the Entra principal "${STAND_IN_PRINCIPAL}" with a token .*could not log in as "${auditor}" with its password`));
    const reads = await readEveryOtherDatabase(context, 'the session user', (session) => session.query<{ who: string }>('SELECT session_user AS who'));
    assert.equal(reads.problem, undefined);
    assert.deepEqual(reads.unreadable, []);
    assert.ok(reads.results.length >= 1, 'the lab server has other databases');
    for (const { database, result } of reads.results) assert.equal(result[0]?.who, STAND_IN_PRINCIPAL, database);
    // The server logs a refusal before the client hears of it: once the log has caught up, every refused try is there.
    await postgresLogCaughtUp(server);
    assert.equal((await failedFor(logFile, auditor)) - before, 1, `the refused auditor password was tried once, not once more per other database (${reads.results.length})`);
  } finally {
    await context.close();
  }
});
