import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { handshake } from '../../src/tls/handshake.js';
import { afterPostgresYes, serverPool, tlsAfterPreamble } from './test-servers.js';

const serve = serverPool();

describe('one-version handshake', () => {
  it('completes with exactly the offered version and keeps the peer chain', async () => {
    const server = await serve(tlsAfterPreamble('mysql', { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' }));
    const result = await handshake(server.endpoint('mysql'), { version: 'TLSv1.2', host: '127.0.0.1' });
    assert.equal(result.evidence.outcome, 'accepted');
    assert.equal(result.evidence.negotiated?.protocol, 'TLSv1.2');
    assert.equal(result.peerChain.length, 1);
    assert.match(result.evidence.serverGreeting ?? '', /./);
  });

  it('classifies a protocol_version alert as the server refusing the version', async () => {
    const server = await serve(tlsAfterPreamble('postgres', { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' }));
    const result = await handshake(server.endpoint('postgres'), { version: 'TLSv1.1', host: '127.0.0.1' });
    assert.equal(result.evidence.outcome, 'refused');
    assert.deepEqual(result.evidence.alert, { code: 70, name: 'protocol_version' });
  });

  it('offers TLS 1.0 for real (security level 0), so a server that accepts it is caught', async () => {
    const server = await serve(tlsAfterPreamble('postgres', { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT:@SECLEVEL=0' }));
    const result = await handshake(server.endpoint('postgres'), { version: 'TLSv1', host: '127.0.0.1' });
    assert.equal(result.evidence.outcome, 'accepted', result.evidence.reason);
    assert.equal(result.evidence.negotiated?.protocol, 'TLSv1');
  });

  it('offers every curve our OpenSSL knows, so a server limited to secp224r1 or brainpoolP256r1 is seen accepting TLS 1.2', async () => {
    // PostgreSQL's ssl_ecdh_curve set to one such curve: with Node's default groups the handshake failed.
    for (const curve of ['secp224r1', 'brainpoolP256r1']) {
      const server = await serve(tlsAfterPreamble('postgres', { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ecdhCurve: curve, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0' }));
      const result = await handshake(server.endpoint('postgres'), { version: 'TLSv1.2', host: '127.0.0.1' });
      assert.equal(result.evidence.outcome, 'accepted', `${curve}: ${result.evidence.reason}`);
      assert.equal(result.peerChain.length, 1);
    }
  });

  it('calls a hang-up after the ClientHello "declined", not refused', async () => {
    const server = await serve(afterPostgresYes((socket) => socket.destroy()));
    const result = await handshake(server.endpoint('postgres'), { version: 'TLSv1.2', host: '127.0.0.1' });
    assert.equal(result.evidence.outcome, 'declined');
  });

  it('is undecided, within its timeout, when the server never answers the ClientHello', async () => {
    const server = await serve(afterPostgresYes(() => undefined));
    const started = performance.now();
    const result = await handshake(server.endpoint('postgres', 500), { version: 'TLSv1.3', host: '127.0.0.1' });
    assert.equal(result.evidence.outcome, 'undecided');
    assert.ok(performance.now() - started < 1500);
  });

  it('is undecided when the server answers with garbage instead of TLS', async () => {
    const server = await serve(afterPostgresYes((socket) => socket.write(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))));
    const result = await handshake(server.endpoint('postgres'), { version: 'TLSv1.2', host: '127.0.0.1' });
    assert.equal(result.evidence.outcome, 'undecided', result.evidence.reason);
  });

  it('reports a server without TLS as tls-not-offered', async () => {
    const server = await serve((socket) => socket.once('data', () => socket.write('N')));
    const result = await handshake(server.endpoint('postgres'), { version: 'TLSv1.2', host: '127.0.0.1' });
    assert.equal(result.evidence.outcome, 'tls-not-offered');
  });
});
