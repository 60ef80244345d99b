/**
 * transport.tls-required against a real MariaDB that offers no TLS (the lab's tls-disabled, as
 * Debian installs it) when the declared login is refused: a wrong password, or an 'app'@'%' that
 * ''@'localhost' shadows from this host. Both logins then fail, and the control was undecided
 * ("the refusal may not be about transport"), though a server without TLS cannot require it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { tlsRequired } from '../../../src/probes/transport/tls-required-check.js';
import type { Check } from '../../../src/probes/check.js';
import type { Target } from '../../../src/targets/target.js';
import { rememberPassword } from '../../../src/targets/secret-store.js';
import { decide, labTarget } from '../audit/data-plane-checks-lab.js';

installCleanupOnSignals();
after(stopAllLocalServers);

describe('transport.tls-required on a MariaDB without TLS (real server)', () => {
  let target: Target;

  before(async () => {
    ({ target } = await labTarget('mysql', 'tls-disabled'));
  });

  test('the declared password refused in plaintext -> failed: the server offers no TLS at all', async () => {
    const refused: Target = { ...target, name: `${target.name}-wrong-password`, auditor: undefined };
    rememberPassword(refused.name, 'not-the-password-of-this-account');
    const decided = await decide(tlsRequired as Check<unknown>, refused);
    assert.equal(decided.verdict, 'failed', decided.reason);
    assert.match(decided.reason, /^the server offers no TLS at all \(.*HANDSHAKE_NO_SSL_SUPPORT.*\), so every login travels in plaintext; our plaintext login: .*refused-by-authentication \[1045\]/);
  });
});
