/**
 * auth.no-passwordless on a real MariaDB with an anonymous account without a password, as Debian's
 * mariadb-install-db leaves ''@'localhost': the control leaves anonymous accounts to
 * auth.no-anonymous, and its pass said "every account that checks a password has one", which that
 * account belies. The pass must name it. Made as root over the socket, judged, and undone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { noPasswordless } from '../../../src/probes/auth/passwordless.js';
import type { Check } from '../../../src/probes/check.js';
import type { Target } from '../../../src/targets/target.js';
import { decide, labTarget } from '../audit/data-plane-checks-lab.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';

installCleanupOnSignals();
after(stopAllLocalServers);

describe('auth.no-passwordless with an anonymous account (real MariaDB)', () => {
  let server: LocalServer;
  let target: Target;
  let asRoot: (sql: string) => Promise<string>;

  before(async () => {
    ({ server, target } = await labTarget('mysql', 'hardened'));
    asRoot = asMariaDbRoot(server);
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
});
