/**
 * The certificate controls judge the trust anchor's key and dates even when the server does not
 * send it (most servers send their leaf and intermediates, not the root): the reason then says
 * "trust anchor ... key is rsa 2048 bits", and the evidence must show that certificate too, not
 * only the chain the server presented. Real PostgreSQL, hardened, with ssl_ca_file emptied so that
 * it sends its leaf alone.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { certKey, certValidity } from '../../../src/probes/transport/certificate-checks.js';
import { decideCheck } from '../../support/decide-check.js';
import { reloadLabPostgres } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

interface Summary {
  subject: string;
  fingerprintSha256: string;
}

test('a trust anchor the server does not send is in the evidence of the controls that judge it', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  // Without a CA file OpenSSL has nothing to complete the chain with: the server sends its leaf alone.
  await reloadLabPostgres(server, ["ALTER SYSTEM SET ssl_ca_file = ''"]);
  const target = targetForLocalServer('leaf-only', server, 'baseline');
  for (const check of [certKey, certValidity]) {
    const outcome = await decideCheck(check, target);
    assert.equal(outcome.decision.verdict, 'passed', outcome.decision.reason);
    const anchor = /trust anchor "([^"]+)"/.exec(outcome.decision.reason);
    assert.ok(anchor, `${check.id} judges the anchor: ${outcome.decision.reason}`);
    const shown = check.shown!(outcome.evidence!) as { presented: Summary[]; fromTrustBundle: Summary[] };
    assert.equal(shown.presented.length, 1, 'the server sent its leaf alone');
    assert.deepEqual(shown.fromTrustBundle.map((certificate) => certificate.subject), [anchor[1]]);
  }
});
