/**
 * A token is a bearer credential: it goes only to a server whose certificate both chains to a
 * trusted CA and names the host the harness dialled. Against real servers whose certificate is
 * issued by the trusted lab CA for db.wrong-host.invalid only (configuration cert-wrong-host),
 * with the local identity stand-in: neither the catalog session nor auth.entra-token's login
 * hands the token over, on either engine, whether the host is dialled by address or by name.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { TargetContext } from '../../src/probes/target-context.js';
import { loginWithToken } from '../../src/probes/identity/token-login.js';
import { EntraTokenSource } from '../../src/probes/identity/entra-token-source.js';
import { CannotObserve } from '../../src/controls/observation.js';
import { rememberEntraClientSecret } from '../../src/targets/secret-store.js';

after(() => stopAllLocalServers());

for (const engine of ['mysql', 'postgres'] as const) {
  describe(`a certificate for another host name on ${engine}`, () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      test(`dialled as ${host}: the token is not sent, the catalog is not read, the token login is not accepted`, async () => {
        const server = await startLocalServer(engine, 'cert-wrong-host', { withIdentityStandIn: true });
        const name = `wrong-host-${engine}-${host}`;
        const lab = targetForLocalServer(`${name}-lab`, server, 'baseline');
        rememberEntraClientSecret(name, server.identityStandIn!.clientSecret);
        const target = { ...lab, name, host, auditor: undefined, masking: undefined };
        const context = new TargetContext(target);
        try {
          await assert.rejects(context.catalog.read('anything', (session) => session.query('SELECT 1')), (error: Error) => {
            assert.ok(error instanceof CannotObserve, error.message);
            assert.match(error.message, /with an Entra token \(server certificate verified\) to read the catalog: .*(ERR_TLS_CERT_ALTNAME_INVALID|HANDSHAKE_SSL_ERROR).*does not match certificate's altnames/);
            // Checked against the host dialled, not a stand-in name.
            assert.match(error.message, host === '127.0.0.1' ? /IP: 127\.0\.0\.1 is not in the cert's list/ : /Host: localhost\. is not in the cert's altnames/);
            return true;
          });
          const { token } = await new EntraTokenSource(target).acquire(target.timeoutMs);
          assert.ok(token);
          const login = await loginWithToken(target, target.entra!.user, token);
          assert.notEqual(login.outcome, 'accepted', `token login accepted by a server that does not prove it is ${host}`);
          assert.match(login.message ?? '', /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate/);
        } finally {
          await context.close();
        }
      });
    }
  });
}
