/**
 * auth.strong-plugin on a MariaDB with an account IDENTIFIED VIA pam (the lab's Entra stand-in
 * principal): PAM's mysql.user credential is a service name, not a password hash, yet the pass
 * counted the account among "6 accounts with a password" using a "strong plugin (ed25519, pam)".
 * It is now listed apart. Real MariaDB with the identity stand-in (PAM needs root).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers, STAND_IN_PRINCIPAL } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { strongPlugin } from '../../../src/probes/auth/strong-plugin.js';
import { decideCheck } from '../../support/decide-check.js';

after(() => stopAllLocalServers());

test('a PAM account is not counted as one with a password using a strong plugin', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('the identity stand-in (PAM) needs root');
  const server = await startLocalServer('mysql', 'hardened', { mode: 'process', withIdentityStandIn: true });
  const outcome = await decideCheck(strongPlugin, targetForLocalServer('strong-plugin-pam', server, 'baseline'));
  assert.equal(outcome.decision.verdict, 'passed', outcome.decision.reason);
  const evidence = outcome.evidence!;
  const pam = Object.keys(evidence.withoutStoredPassword ?? {}).find((account) => account.startsWith(`'${STAND_IN_PRINCIPAL}'@`));
  assert.ok(pam, JSON.stringify(evidence));
  assert.equal(evidence.withoutStoredPassword[pam], 'pam');
  assert.ok(Object.values(evidence.plugins).every((plugin) => plugin !== 'pam'), JSON.stringify(evidence.plugins));
  assert.match(outcome.decision.reason, new RegExp(`all ${Object.keys(evidence.plugins).length} accounts with a password use a strong plugin \\(ed25519\\); 1 authenticates without a stored password`));
});
