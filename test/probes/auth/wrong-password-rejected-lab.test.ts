/**
 * auth.wrong-password-rejected on real servers when the declared login does not work: an account
 * name with a typo, or a password that is not the account's. PostgreSQL (SCRAM) and MariaDB answer
 * a login as an account that does not exist exactly as a wrong password, so a refused wrong
 * password shows a password check only when the declared right password gets further. (Once a
 * false pass: `postgres://apq@...` passed with "a wrong password for "apq" was refused".)
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { wrongPasswordRejected } from '../../../src/probes/auth/password-logins.js';
import { rememberPassword } from '../../../src/targets/secret-store.js';
import { decideCheck } from '../../support/decide-check.js';

after(() => stopAllLocalServers());

const decide = async (server: LocalServer, name: string, change: { user?: string; password?: string; profile?: 'strict' } = {}) => {
  const target = { ...targetForLocalServer(name, server, change.profile ?? 'baseline'), ...(change.user ? { user: change.user } : {}) };
  if (change.password) rememberPassword(name, change.password);
  return (await decideCheck(wrongPasswordRejected, target)).decision;
};

for (const engine of ['postgres', 'mysql'] as const) {
  test(`${engine}: the declared account logs in, a wrong password is refused: passed`, async () => {
    const server = await startLocalServer(engine, 'hardened', { mode: 'process' });
    const decision = await decide(server, `${engine}-wrong-password-app`);
    assert.equal(decision.verdict, 'passed', decision.reason);
    assert.match(decision.reason, /a wrong password for "app" was refused/);
    assert.match(decision.reason, /the declared password logged in/);
  });

  test(`${engine}: an account name that does not exist is refused whatever the password: undecided, never passed`, async () => {
    const server = await startLocalServer(engine, 'hardened', { mode: 'process' });
    const decision = await decide(server, `${engine}-wrong-password-typo`, { user: 'apq' });
    assert.equal(decision.verdict, 'undecided', decision.reason);
    assert.match(decision.reason, /the declared password for "apq" was refused the same way/);
  });
}

test('postgres: the declared password is not the account\'s: undecided, never passed', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  const decision = await decide(server, 'postgres-wrong-password-declared', { password: 'not-the-password-of-app' });
  assert.equal(decision.verdict, 'undecided', decision.reason);
  assert.match(decision.reason, /the declared password for "app" was refused the same way/);
  assert.doesNotMatch(decision.reason, /not-the-password-of-app/);
});

test('postgres, strict profile: the right password refused as well is auth.password-disabled\'s to judge: skipped, never passed', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  const decision = await decide(server, 'postgres-wrong-password-strict', { user: 'apq', profile: 'strict' });
  assert.equal(decision.verdict, 'skipped', decision.reason);
  assert.match(decision.reason, /the declared right password for "apq" is refused too .*auth\.password-disabled/);
});
