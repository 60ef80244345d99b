/**
 * auth.no-anonymous on a MariaDB with the PAM plugin loaded (as the lab's Entra stand-in has it):
 * MariaDB answers a made-up user name with a stand-in authentication method picked by the name's
 * hash, and PAM's dialog is one the client cannot speak. The probe then asks another made-up name
 * instead of leaving the control undecided for the luck of the draw. Real MariaDB.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { IDENTITY_ONLY, attemptLogin } from '../../../src/sessions/login-attempt.js';
import { noAnonymous } from '../../../src/probes/auth/anonymous.js';
import { unknownUserName } from '../../../src/probes/auth/postgres-auth-methods.js';
import { decideCheck } from '../../support/decide-check.js';

let server: LocalServer | undefined;
before(async () => {
  // The stand-in installs a PAM service, which takes root.
  if (process.getuid?.() === 0) server = await startLocalServer('mysql', 'hardened', { mode: 'process', withIdentityStandIn: true });
});
after(() => stopAllLocalServers());

test('made-up user names that MariaDB answers with a method the client cannot speak still leave auth.no-anonymous decided', async (t) => {
  if (!server) return t.skip('the identity stand-in (PAM) needs root');
  const target = targetForLocalServer('anonymous-pam', server, 'baseline');
  // The situation exists here: among 60 made-up names, some get an answer the client cannot read (about 1 in 11).
  let unspeakable = 0;
  for (let index = 0; index < 60; index++) {
    const login = await attemptLogin(target, { user: unknownUserName(), password: '' }, 'tls', IDENTITY_ONLY);
    if (login.outcome === 'error' && login.serverCode === 'HANDSHAKE_UNKNOWN_ERROR') unspeakable++;
  }
  assert.ok(unspeakable > 0, 'no made-up name drew the PAM stand-in; the test shows nothing');
  for (let run = 0; run < 5; run++) {
    const outcome = await decideCheck(noAnonymous, target);
    assert.equal(outcome.decision.verdict, 'passed', outcome.decision.reason);
  }
});
