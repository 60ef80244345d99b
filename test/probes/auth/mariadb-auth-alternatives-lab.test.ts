/**
 * MariaDB's IDENTIFIED VIA a OR b against a real MariaDB 10.11: mysql.user shows one alternative
 * (MariaDB puts mysql_native_password or mysql_old_password there when present, else the last),
 * global_priv's auth_or holds the rest. An account whose hidden alternative is ed25519 with an empty
 * password showed as unix_socket and passed auth.no-passwordless, though anyone logs in through it.
 * Made as root over the socket, judged, and undone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { noPasswordless } from '../../../src/probes/auth/passwordless.js';
import { strongPlugin } from '../../../src/probes/auth/strong-plugin.js';
import type { Check } from '../../../src/probes/check.js';
import type { Target } from '../../../src/targets/target.js';
import { decide, labMariaDbWithRoot } from '../audit/data-plane-checks-lab.js';

installCleanupOnSignals();
after(stopAllLocalServers);

describe('MariaDB accounts with several authentication alternatives (real MariaDB)', () => {
  let target: Target;
  let asRoot: (sql: string) => Promise<string>;

  before(async () => {
    ({ target, asRoot } = await labMariaDbWithRoot());
  });

  test("auth.no-passwordless: ed25519 with an empty password OR unix_socket (shown as unix_socket) -> failed, naming it; passed once dropped", async () => {
    await asRoot("CREATE USER 'sock_empty'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('') OR unix_socket");
    try {
      const decided = await decide(noPasswordless as Check<unknown>, target);
      assert.equal(decided.verdict, 'failed', decided.reason);
      assert.match(decided.reason, /'sock_empty'@'127\.0\.0\.1'/);
    } finally {
      await asRoot("DROP USER 'sock_empty'@'127.0.0.1'");
    }
    const again = await decide(noPasswordless as Check<unknown>, target);
    assert.equal(again.verdict, 'passed', again.reason);
  });

  test('a plugin named in another case is the same plugin: UNIX_SOCKET keeps no password, Ed25519 is strong and, empty, passwordless', async () => {
    // MariaDB stores the name as written; the old table, matching it exactly, took both for unknown plugins.
    await asRoot("CREATE USER 'sock_upper'@'127.0.0.1' IDENTIFIED VIA UNIX_SOCKET");
    await asRoot("CREATE USER 'ed_mixed'@'127.0.0.1' IDENTIFIED VIA Ed25519 USING PASSWORD('Mixed-pass-1')");
    try {
      assert.match(await asRoot("SELECT plugin FROM mysql.user WHERE User = 'sock_upper'"), /UNIX_SOCKET/, 'the server keeps the case as written');
      const passwordless = await decide(noPasswordless as Check<unknown>, target);
      assert.equal(passwordless.verdict, 'passed', passwordless.reason);
      const strong = await decide(strongPlugin as Check<unknown>, target);
      assert.equal(strong.verdict, 'passed', strong.reason);
      assert.match(strong.reason, /use a strong plugin \(.*Ed25519.*\)/);
      await asRoot("CREATE USER 'ed_empty'@'10.9.9.9' IDENTIFIED VIA Ed25519 USING PASSWORD('')");
      const empty = await decide(noPasswordless as Check<unknown>, target);
      assert.equal(empty.verdict, 'failed', empty.reason);
      assert.match(empty.reason, /accounts without a password: 'ed_empty'@'10\.9\.9\.9'/);
    } finally {
      await asRoot("DROP USER IF EXISTS 'sock_upper'@'127.0.0.1', 'ed_mixed'@'127.0.0.1', 'ed_empty'@'10.9.9.9'");
    }
  });

  test('auth.strong-plugin: every alternative that holds a password is judged; ed25519 OR unix_socket is counted as ed25519, native OR ed25519 fails', async () => {
    await asRoot("CREATE USER 'alt_strong'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('Alt-pass-1') OR unix_socket");
    try {
      const strong = await decide(strongPlugin as Check<unknown>, target);
      assert.equal(strong.verdict, 'passed', strong.reason);
      assert.equal((strong.evidence as { plugins: Record<string, string> }).plugins["'alt_strong'@'127.0.0.1'"], 'ed25519');
      await asRoot("CREATE USER 'alt_weak'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('Alt-pass-1') OR mysql_native_password USING PASSWORD('Alt-pass-1')");
      const weak = await decide(strongPlugin as Check<unknown>, target);
      assert.equal(weak.verdict, 'failed', weak.reason);
      assert.match(weak.reason, /'alt_weak'@'127\.0\.0\.1' \((mysql_native_password OR ed25519|ed25519 OR mysql_native_password)\)/);
    } finally {
      await asRoot("DROP USER IF EXISTS 'alt_strong'@'127.0.0.1', 'alt_weak'@'127.0.0.1'");
    }
  });
});
