/**
 * Roles Azure creates for itself (azure_pg_admin with CREATEROLE/CREATEDB, azuresu without an
 * expiry) are exempt from least privilege and time-bound access, and said to be, on a server that
 * keeps Azure's own superuser; an ordinary role with the same rights on the same server still fails,
 * and on a server without that superuser a role named like a platform role is an ordinary role.
 * Real PostgreSQL.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { leastPrivilege } from '../../../src/probes/access/least-privilege.js';
import { timeBound } from '../../../src/probes/access/time-bound.js';
import { decideCheck } from '../../support/decide-check.js';
import { asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

test('Azure platform roles are exempt and listed; an ordinary role with the same rights is not', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  await asAdmin(server, [
    'CREATE ROLE azure_pg_admin CREATEROLE CREATEDB',
    // Azure's own superuser: customers are never superusers there, which is how a server shows it is Azure.
    'CREATE ROLE azuresu LOGIN SUPERUSER',
  ]);
  const target = targetForLocalServer('azure-roles', server, 'baseline');
  const privileges = await decideCheck(leastPrivilege, target);
  assert.equal(privileges.decision.verdict, 'passed', privileges.decision.reason);
  assert.match(privileges.decision.reason, /azure_pg_admin \(Azure platform role: CREATEROLE, CREATEDB\)/);
  const expiry = await decideCheck(timeBound, target);
  assert.equal(expiry.decision.verdict, 'passed', expiry.decision.reason);
  assert.match(expiry.decision.reason, /exempt: .*azuresu \(Azure platform role\)/);

  await asAdmin(server, ['CREATE ROLE platform_admin_lookalike LOGIN CREATEROLE CREATEDB']);
  const lookalike = await decideCheck(leastPrivilege, target);
  assert.equal(lookalike.decision.verdict, 'failed');
  assert.match(lookalike.decision.reason, /platform_admin_lookalike \(CREATEROLE, CREATEDB\)/);
  const standing = await decideCheck(timeBound, target);
  assert.equal(standing.decision.verdict, 'failed');
  assert.match(standing.decision.reason, /platform_admin_lookalike/);
  await server.stop();
});

test('without Azure\'s superuser, roles named replication or azure_pg_admin are ordinary roles and fail', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    await asAdmin(server, ['CREATE ROLE replication LOGIN REPLICATION CREATEROLE', 'CREATE ROLE azure_pg_admin CREATEDB']);
    const target = targetForLocalServer('named-like-azure', server, 'baseline');
    const privileges = await decideCheck(leastPrivilege, target);
    assert.equal(privileges.decision.verdict, 'failed', privileges.decision.reason);
    assert.match(privileges.decision.reason, /replication \(CREATEROLE, REPLICATION\)/);
    assert.match(privileges.decision.reason, /azure_pg_admin \(CREATEDB\)/);
    const expiry = await decideCheck(timeBound, target);
    assert.equal(expiry.decision.verdict, 'failed', expiry.decision.reason);
    assert.match(expiry.decision.reason, /standing access\): .*replication/);
  } finally {
    await server.stop();
  }
});
