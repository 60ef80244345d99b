/**
 * auth.entra-token against real local servers, with the local identity stand-in in place of Entra
 * ID: @azure/identity fetches the token over HTTPS from the stand-in, and each server checks it
 * through PAM. The server itself must refuse the tampered and the expired token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers, STAND_IN_PRINCIPAL, type LocalServer } from '../../../src/lab/local-server.js';
import { IdentityStandIn } from '../../../src/lab/identity-stand-in/identity-stand-in.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { probeEntraToken, type EntraTokenEvidence } from '../../../src/probes/identity/entra-token-probe.js';
import { judgeEntraToken } from '../../../src/probes/identity/entra-token-check.js';
import { rememberEntraClientSecret } from '../../../src/targets/secret-store.js';
import { runTarget } from '../../../src/runner/run-target.js';
import type { Engine, Target } from '../../../src/targets/target.js';

/** The server's own words for "these credentials are wrong", per engine. */
const AUTHENTICATION_FAILURE: Record<Engine, { code: string; message: RegExp }> = {
  postgres: { code: '28000', message: /PAM authentication failed for user "dbcomply-entra-app"/ },
  mysql: { code: '1045', message: /Access denied for user 'dbcomply-entra-app'/ },
};

let otherIssuer: IdentityStandIn;
const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-entra-'));
before(async () => {
  otherIssuer = await IdentityStandIn.start();
});
after(async () => {
  await Promise.all([stopAllLocalServers(), otherIssuer?.stop()]);
  await rm(outDir, { recursive: true, force: true });
});

/** The server's target, but with tokens for the same principal name from a stand-in the server does not trust. */
function withTokensFromOtherIssuer(name: string, server: LocalServer): Target {
  const target = targetForLocalServer(name, server, 'baseline');
  const registration = otherIssuer.register(STAND_IN_PRINCIPAL);
  rememberEntraClientSecret(name, registration.clientSecret);
  return {
    ...target,
    entra: {
      user: STAND_IN_PRINCIPAL,
      tenantId: otherIssuer.tenantId,
      clientId: registration.clientId,
      authorityHost: otherIssuer.authorityHost,
      caFile: otherIssuer.caFile,
      expiryWaitMs: 15_000,
    },
  };
}

function declared(evidence: EntraTokenEvidence) {
  assert.ok(evidence.declared, 'the target declares an Entra principal');
  assert.equal(evidence.acquisition.outcome, 'acquired', `a token was acquired: ${JSON.stringify(evidence.acquisition)}`);
  return evidence;
}

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`auth.entra-token on ${engine}`, () => {
    test('a valid token logs in over TLS; the server refuses the tampered and the expired token as authentication failures', async () => {
      const server = await startLocalServer(engine, 'hardened', { withIdentityStandIn: true });
      const evidence = declared(await probeEntraToken(targetForLocalServer(`entra-${engine}`, server, 'baseline')));
      assert.equal(evidence.valid?.outcome, 'accepted', JSON.stringify(evidence.valid));
      assert.match(evidence.valid?.sessionUser ?? '', new RegExp(`^${STAND_IN_PRINCIPAL}`));
      assert.match(evidence.valid?.negotiatedTls ?? '', /^TLSv1\.[23]$/);
      for (const refused of [evidence.tampered, evidence.expired]) {
        assert.equal(refused?.outcome, 'refused-by-authentication', JSON.stringify(refused));
        assert.equal(refused?.serverCode, AUTHENTICATION_FAILURE[engine].code);
        assert.match(refused?.message ?? '', AUTHENTICATION_FAILURE[engine].message);
      }
      const judgement = judgeEntraToken(evidence);
      assert.equal(judgement.verdict, 'passed', judgement.reason);
      assert.match(judgement.reason, /local identity stand-in at https:\/\/127\.0\.0\.1:\d+ \(not Microsoft Entra ID\)/);
    });

    test('a token the server has no reason to trust (another issuer, same principal name) is refused by PAM: the control fails', async () => {
      const server = await startLocalServer(engine, 'hardened', { withIdentityStandIn: true });
      const evidence = declared(await probeEntraToken(withTokensFromOtherIssuer(`entra-other-issuer-${engine}`, server)));
      assert.equal(evidence.valid?.outcome, 'refused-by-authentication', JSON.stringify(evidence.valid));
      assert.equal(evidence.valid?.serverCode, AUTHENTICATION_FAILURE[engine].code);
      const judgement = judgeEntraToken(evidence);
      assert.equal(judgement.verdict, 'failed', judgement.reason);
    });

    test('a server without an account for the principal fails the control, and without an Entra declaration the control is skipped', async () => {
      const server = await startLocalServer(engine, 'hardened');
      const evidence = declared(await probeEntraToken(withTokensFromOtherIssuer(`entra-no-account-${engine}`, server)));
      assert.match(evidence.valid?.outcome ?? '', /^refused-by-/, JSON.stringify(evidence.valid));
      assert.equal(judgeEntraToken(evidence).verdict, 'failed');

      const result = await runTarget(targetForLocalServer(`entra-undeclared-${engine}`, server, 'baseline'), outDir, '@control:auth.entra-token');
      assert.equal(result.controls['auth.entra-token'], 'skipped');
      assert.match(result.reasons['auth.entra-token'] ?? '', /no Entra principal is declared/);
    });
  });
}
