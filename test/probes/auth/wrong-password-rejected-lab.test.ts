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
import { asPostgresAdmin } from '../../support/postgres-admin.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';

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

// Debian's stock servers: a role whose VALID UNTIL has passed refuses its own password as a wrong
// one; the reason must name that, since nothing else in the run does.
test("postgres: the declared account's password expired (VALID UNTIL in the past): undecided, naming the expiry", async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  await asPostgresAdmin(server, ["ALTER ROLE app VALID UNTIL '2020-01-01'"]);
  try {
    const decision = await decide(server, 'postgres-wrong-password-expired');
    assert.equal(decision.verdict, 'undecided', decision.reason);
    assert.match(decision.reason, /its password may have expired \(VALID UNTIL in the past\)/);
  } finally {
    await asPostgresAdmin(server, ["ALTER ROLE app VALID UNTIL 'infinity'"]);
  }
});

// Debian's mariadb-install-db leaves ''@'localhost': from the server's own host it takes the logins
// of an account at '%' (the more specific host wins), which then refuses that account's password.
test("mysql: an anonymous account takes the declared account's logins from this host: undecided, naming it", async () => {
  const server = await startLocalServer('mysql', 'hardened', { mode: 'process' });
  const asRoot = asMariaDbRoot(server);
  await asRoot("CREATE USER 'dbcomply_shadowed'@'%' IDENTIFIED BY 'shadowed-password-1'; CREATE USER ''@'127.0.0.1'");
  try {
    const decision = await decide(server, 'mysql-wrong-password-shadowed', { user: 'dbcomply_shadowed', password: 'shadowed-password-1' });
    assert.equal(decision.verdict, 'undecided', decision.reason);
    assert.match(decision.reason, /an anonymous account such as ''@'localhost' takes the name first/);
  } finally {
    await asRoot("DROP USER 'dbcomply_shadowed'@'%'; DROP USER ''@'127.0.0.1'; FLUSH PRIVILEGES");
  }
});

