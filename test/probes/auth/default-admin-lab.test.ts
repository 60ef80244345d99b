/**
 * auth.no-default-admin against a real MariaDB 10.11 with the lab's lockout policy
 * (max_password_errors=3) and a well-known admin account whose password is a common one the
 * built-in list reaches only after three refusals. The lock stopped our guesses, not an attacker
 * who tries that password first: the control must not pass. Made as root over the socket, judged,
 * and undone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { MAX_PASSWORD_ERRORS } from '../../../src/lab/mariadb-accounts.js';
import { noDefaultAdmin } from '../../../src/probes/auth/default-admin.js';
import type { Check } from '../../../src/probes/check.js';
import type { Target } from '../../../src/targets/target.js';
import { decide, labMariaDbWithRoot } from '../audit/data-plane-checks-lab.js';

installCleanupOnSignals();
after(stopAllLocalServers);

const check = noDefaultAdmin as Check<unknown>;

describe('auth.no-default-admin with a lockout policy (real MariaDB)', () => {
  let target: Target;
  let asRoot: (sql: string) => Promise<string>;

  before(async () => {
    ({ target, asRoot } = await labMariaDbWithRoot());
    target = { ...target, intrusive: true };
  });

  test(`'admin' with the list's last password, locked after ${MAX_PASSWORD_ERRORS} refusals -> undecided, naming the cut`, async () => {
    // The fixture's password is the list's sixth for "admin"; the server locks after three errors.
    await asRoot("CREATE USER 'admin'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('changeme')");
    try {
      const decided = await decide(check, target);
      assert.equal(decided.verdict, 'undecided', decided.reason);
      assert.match(decided.reason, new RegExp(`admin locked after ${MAX_PASSWORD_ERRORS} refused of 6 guesses`));
      // The next night's run meets the lock the first one left (MariaDB keeps it until FLUSH
      // PRIVILEGES): every guess is answered "locked", and still nothing is known about them.
      const nextRun = await decide(check, target);
      assert.equal(nextRun.verdict, 'undecided', nextRun.reason);
      assert.match(nextRun.reason, /admin locked at the first guess/);
    } finally {
      await asRoot("DROP USER 'admin'@'127.0.0.1'; FLUSH PRIVILEGES");
    }
    const again = await decide(check, target);
    assert.equal(again.verdict, 'passed', again.reason);
  });

  // Debian's mariadb-install-db leaves an anonymous account (''@'localhost'), which takes any user
  // name: "admin" with no password gets in as it. The control fails (a login under an admin name
  // worked), but the server has no admin account, and the reason must say which account let it in.
  test("an anonymous account without a password -> failed, naming the anonymous account, not an admin one", async () => {
    await asRoot("CREATE USER ''@'127.0.0.1'");
    try {
      const decided = await decide(check, target);
      assert.equal(decided.verdict, 'failed', decided.reason);
      assert.match(decided.reason, /as the anonymous account ''@'127\.0\.0\.1', which takes any user name .*: (\w+, )*admin\b/);
      assert.doesNotMatch(decided.reason, /well-known admin accounts log in/);
    } finally {
      await asRoot("DROP USER ''@'127.0.0.1'; FLUSH PRIVILEGES");
    }
  });
});
