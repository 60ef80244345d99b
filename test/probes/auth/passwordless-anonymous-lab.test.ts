/**
 * auth.no-passwordless on a real MariaDB with an anonymous account without a password, as Debian's
 * mariadb-install-db leaves ''@'localhost': the control leaves anonymous accounts to
 * auth.no-anonymous, and its pass said "every account that checks a password has one", which that
 * account belies. The pass must name it. Made as root over the socket, judged, and undone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { noPasswordless } from '../../../src/probes/auth/passwordless.js';
import type { Check } from '../../../src/probes/check.js';
import type { Target } from '../../../src/targets/target.js';
import { decide, labMariaDbWithRoot } from '../audit/data-plane-checks-lab.js';
import { rememberPassword } from '../../../src/targets/secret-store.js';

installCleanupOnSignals();
after(stopAllLocalServers);

describe('auth.no-passwordless with an anonymous account (real MariaDB)', () => {
  let target: Target;
  let asRoot: (sql: string) => Promise<string>;

  before(async () => {
    ({ target, asRoot } = await labMariaDbWithRoot());
  });

  test("''@'localhost' without a password: the pass names it and leaves it to auth.no-anonymous", async () => {
    await asRoot("CREATE USER ''@'localhost'");
    try {
      const decided = await decide(noPasswordless as Check<unknown>, target);
      assert.equal(decided.verdict, 'passed', decided.reason);
      assert.match(decided.reason, /the anonymous accounts without a password, ''@'localhost', are left to auth.no-anonymous$/);
      assert.doesNotMatch(decided.reason, /^every account that checks a password has one/);
    } finally {
      await asRoot("DROP USER ''@'localhost'; FLUSH PRIVILEGES");
    }
  });

  // A declared account the server does not have here (a typo, or 'app'@'%' shadowed from this host
  // by ''@'localhost'), so the catalog cannot be read: the empty-password login as that name is let
  // in by the anonymous account. That is no proof the declared account has no password.
  test('catalog unreadable, the empty-password login let in by the anonymous account -> undecided, naming it', async () => {
    const ghost: Target = { ...target, name: `${target.name}-ghost`, user: 'dbcomply_ghost', auditor: undefined };
    rememberPassword(ghost.name, 'not-the-anonymous-one');
    await asRoot("CREATE USER ''@'127.0.0.1'");
    try {
      const decided = await decide(noPasswordless as Check<unknown>, ghost);
      assert.equal(decided.verdict, 'undecided', decided.reason);
      assert.match(decided.reason, /an empty-password login as dbcomply_ghost(, root)? got in only as the anonymous account ''@'127\.0\.0\.1', which takes any user name/);
      assert.doesNotMatch(decided.reason, /accounts without a password: dbcomply_ghost/);
    } finally {
      await asRoot("DROP USER ''@'127.0.0.1'; FLUSH PRIVILEGES");
    }
  });
});
