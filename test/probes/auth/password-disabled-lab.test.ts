/**
 * auth.password-disabled on a real PostgreSQL server whose pg_hba refuses the declared accounts in
 * the application's database but not everywhere: pg_hba decides per database, so a refusal there
 * says nothing of the others. (Once a false pass: the auditor got into postgres with its password.)
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, AUDITOR_USER, MASKED_ROLE } from '../../../src/lab/fixture-accounts.js';
import { passwordDisabled } from '../../../src/probes/auth/password-logins.js';
import { decideCheck } from '../../support/decide-check.js';
import { prependHostBasedAuthentication } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

const decide = async (server: LocalServer, name: string) => (await decideCheck(passwordDisabled, targetForLocalServer(name, server, 'strict'))).decision;

test('every declared account refused in the application database, the auditor let into postgres with its password: failed', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  await prependHostBasedAuthentication(server, [
    `host all ${APP_USER} 0.0.0.0/0 reject`,
    `host all ${MASKED_ROLE} 0.0.0.0/0 reject`,
    `host postgres ${AUDITOR_USER} 0.0.0.0/0 scram-sha-256`,
    `host all ${AUDITOR_USER} 0.0.0.0/0 reject`,
  ]);
  const decision = await decide(server, 'pg-password-elsewhere');
  assert.equal(decision.verdict, 'failed', decision.reason);
  assert.match(decision.reason, new RegExp(`"${AUDITOR_USER}" into postgres over`));
});

test('every declared account refused everywhere: the other databases cannot be listed without a login, so undecided, never passed', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  const accounts = [APP_USER, MASKED_ROLE, AUDITOR_USER].join(',');
  await prependHostBasedAuthentication(server, [`host all ${accounts} 0.0.0.0/0 reject`, `host replication ${accounts} 0.0.0.0/0 reject`]);
  const decision = await decide(server, 'pg-password-nowhere');
  assert.equal(decision.verdict, 'undecided', decision.reason);
  assert.match(decision.reason, /every password login tried was refused .* not all known/);
});
