/**
 * access.least-privilege's pass says what it covered: the accounts whose rights were examined and
 * the administrators left to access.app-not-superuser, listed in the evidence and counted in the
 * reason. Before, a pass on MariaDB named no account at all ("no non-admin account holds ...")
 * and one on PostgreSQL only counted login roles for the server-file functions. Real servers.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { leastPrivilege } from '../../../src/probes/access/least-privilege.js';
import { decideCheck } from '../../support/decide-check.js';

after(() => stopAllLocalServers());

for (const [engine, ordinary, administrator, word] of [
  ['postgres', ['app', 'auditor', 'alice'], 'postgres', 'roles'],
  ['mysql', ["'app'@'127.0.0.1'", "'auditor'@'127.0.0.1'"], "'root'@'localhost'", 'accounts'],
] as const) {
  test(`${engine}: the accounts examined and the administrators left out are in the evidence and the reason`, async () => {
    const server = await startLocalServer(engine, 'hardened', { mode: 'process' });
    const outcome = await decideCheck(leastPrivilege, targetForLocalServer(`coverage-${engine}`, server, 'baseline'));
    assert.equal(outcome.decision.verdict, 'passed', outcome.decision.reason);
    const examined = outcome.evidence?.accountsExamined ?? [];
    for (const account of ordinary) assert.ok(examined.includes(account), `${account} examined: ${JSON.stringify(examined)}`);
    assert.ok(outcome.evidence?.administrators?.includes(administrator), `${administrator} among ${JSON.stringify(outcome.evidence?.administrators)}`);
    assert.ok(!examined.includes(administrator));
    assert.match(outcome.decision.reason, new RegExp(`; ${examined.length} ${word} examined \\(administrators, which access\\.app-not-superuser judges: [^)]*${administrator.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    if (engine === 'postgres') assert.deepEqual(outcome.evidence?.serverFileFunctions?.loginRoleNames?.length, outcome.evidence?.serverFileFunctions?.loginRoles);
  });
}
