/**
 * Azure keeps a database of its own, azure_maintenance, that no customer's role may enter, so the
 * checks that read every other database excuse it when it cannot be read. On a real PostgreSQL
 * server that is not an Azure one, a database may carry that name and hold anything: there it is
 * judged like any other, and one the auditor cannot read leaves each check undecided, naming it.
 * Only once the server runs Azure's platform superuser (azuresu) is it excused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER } from '../../../src/lab/fixture-accounts.js';
import { appNotSuperuser } from '../../../src/probes/access/app-not-superuser.js';
import { leastPrivilege } from '../../../src/probes/access/least-privilege.js';
import { publicSchema } from '../../../src/probes/access/public-schema.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import { asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

let server: LocalServer;
let target: Target;

before(async () => {
  server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  target = targetForLocalServer('pg-azure-maintenance-name', server, 'baseline');
  // The application may connect; the lab's auditor may not.
  await asAdmin(server, ['CREATE DATABASE azure_maintenance', 'REVOKE CONNECT ON DATABASE azure_maintenance FROM PUBLIC', `GRANT CONNECT ON DATABASE azure_maintenance TO ${APP_USER}`]);
});
after(() => stopAllLocalServers());

/** Each check that reads the other databases, decided afresh on the target. */
const checks: Record<string, () => Promise<{ verdict: string; reason: string }>> = {
  'access.app-not-superuser': async () => (await decideCheck(appNotSuperuser, target)).decision,
  'access.least-privilege': async () => (await decideCheck(leastPrivilege, target)).decision,
  'access.public-schema': async () => (await decideCheck(publicSchema, target)).decision,
};

test('off Azure, an unreadable database named azure_maintenance leaves every check that reads the other databases undecided, naming it', async () => {
  for (const [id, decide] of Object.entries(checks)) {
    const decision = await decide();
    assert.equal(decision.verdict, 'undecided', `${id}: ${decision.reason}`);
    assert.match(decision.reason, /azure_maintenance/, id);
    assert.doesNotMatch(decision.reason, /Azure platform databases/, id);
  }
});

test("on a server that runs Azure's platform superuser, the same database is Azure's own and excused", async () => {
  await asAdmin(server, ['CREATE ROLE azuresu SUPERUSER NOLOGIN']);
  try {
    for (const [id, decide] of Object.entries(checks)) {
      const decision = await decide();
      assert.notEqual(decision.verdict, 'undecided', `${id}: ${decision.reason}`);
      assert.doesNotMatch(decision.reason, /azure_maintenance", which it may connect to, could not be read/, id);
    }
    assert.match((await checks['access.least-privilege']()).reason, /Azure platform databases: azure_maintenance/);
  } finally {
    await asAdmin(server, ['DROP ROLE azuresu']);
  }
});
