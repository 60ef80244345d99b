/**
 * Roles Azure creates for itself (azure_pg_admin with CREATEROLE/CREATEDB, azuresu without an
 * expiry) are exempt from least privilege and time-bound access, and said to be; an ordinary role
 * with the same rights on the same server still fails. Real PostgreSQL.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pg from 'pg';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { checkLeastPrivilege } from '../../src/probes/access/least-privilege.js';
import { checkTimeBound } from '../../src/probes/access/time-bound.js';
import { closeCatalogSession } from '../../src/probes/catalog/catalog-session.js';

after(() => stopAllLocalServers());

/** The fixture's admin logs in over the server's unix socket without a password. */
async function asAdmin(socketDirectory: string, port: number, statements: string[]): Promise<void> {
  const client = new pg.Client({ host: socketDirectory, port, user: 'postgres', database: 'app' });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

test('Azure platform roles are exempt and listed; an ordinary role with the same rights is not', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  await asAdmin(join(server.workDirectory!, 'socket'), server.port, [
    'CREATE ROLE azure_pg_admin CREATEROLE CREATEDB',
    'CREATE ROLE azuresu LOGIN',
  ]);
  const target = targetForLocalServer('azure-roles', server, 'baseline');
  const privileges = await checkLeastPrivilege(target);
  assert.equal(privileges.judgement.verdict, 'passed', privileges.judgement.reason);
  assert.match(JSON.stringify(privileges.evidence), /azure_pg_admin.*Azure platform role/);
  const expiry = await checkTimeBound(target);
  assert.equal(expiry.judgement.verdict, 'passed', expiry.judgement.reason);
  assert.deepEqual((expiry.evidence as { azurePlatformRolesExempt: string[] }).azurePlatformRolesExempt, ['azuresu']);
  await closeCatalogSession(target.name);

  await asAdmin(join(server.workDirectory!, 'socket'), server.port, ['CREATE ROLE platform_admin_lookalike LOGIN CREATEROLE CREATEDB']);
  const lookalike = await checkLeastPrivilege(target);
  assert.equal(lookalike.judgement.verdict, 'failed');
  assert.match(lookalike.judgement.reason, /platform_admin_lookalike \(CREATEROLE, CREATEDB\)/);
  const standing = await checkTimeBound(target);
  assert.equal(standing.judgement.verdict, 'failed');
  assert.match(standing.judgement.reason, /platform_admin_lookalike/);
  await closeCatalogSession(target.name);
  await server.stop();
});
