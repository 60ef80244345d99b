/**
 * PostgreSQL 17's direct TLS against scripted fronts whose two paths into TLS differ, so that a
 * probe that took the wrong path (or only one) would be caught. Real 17 and 18 servers:
 * test/acceptance/postgres-versions.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probeDirectTls } from '../../src/tls/direct-tls.js';
import { handshake } from '../../src/tls/handshake.js';
import { scanCipherSuites } from '../../src/probes/transport/cipher-scan.js';
import { buildClientHello } from '../../src/tls/client-hello.js';
import { postgresTwoPaths, readExactly, serverPool } from './test-servers.js';
import { CHECKS } from '../../src/probes/checks.js';
import type { Target } from '../../src/targets/target.js';
import { decideCheck } from '../support/decide-check.js';

const serve = serverPool();
const MODERN = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' } as const;
/** A weaker TLS server on the direct path only: TLS 1.0 and RSA key exchange. */
const LEGACY = { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:@SECLEVEL=0' } as const;
const host = '127.0.0.1';

describe('probeDirectTls', () => {
  it('accepted: the front answers a ClientHello sent as the first bytes in TLS', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: MODERN, direct: { ...MODERN, alpn: ['postgresql'] } }));
    const probe = await probeDirectTls(server.endpoint('postgres'), { host });
    assert.equal(probe.outcome, 'accepted', probe.reason);
    assert.match(probe.answer ?? '', /^ServerHello TLS 1\.2 0x/);
  });

  it('accepted even when the direct path refuses TLS 1.2: an alert is TLS spoken on that path', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: MODERN, direct: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } }));
    const probe = await probeDirectTls(server.endpoint('postgres'), { host });
    assert.equal(probe.outcome, 'accepted', probe.reason);
    assert.equal(probe.answer, 'alert 70 (protocol_version)');
  });

  it('not-accepted: a server that hangs up on a ClientHello (PostgreSQL 16 and older)', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: MODERN }));
    const probe = await probeDirectTls(server.endpoint('postgres'), { host });
    assert.equal(probe.outcome, 'not-accepted', probe.reason);
    assert.match(probe.reason, /closed the connection/);
  });

  it('not-accepted: a server that answers in its own protocol (an ErrorResponse)', async () => {
    const server = await serve((socket) => {
      void readExactly(socket, 8).then(() => socket.end(Buffer.from('E\0\0\0\x0bSFATAL\0\0')), () => undefined);
    });
    const probe = await probeDirectTls(server.endpoint('postgres'), { host });
    assert.equal(probe.outcome, 'not-accepted', probe.reason);
    assert.match(probe.reason, /not TLS/);
  });

  it('undecided, within its timeout, when nothing answers', async () => {
    const server = await serve(() => undefined);
    const started = performance.now();
    const probe = await probeDirectTls(server.endpoint('postgres', 400), { host });
    assert.equal(probe.outcome, 'undecided', probe.reason);
    assert.ok(performance.now() - started < 1400);
  });
});

describe('handshake on each negotiation path', () => {
  it('TLS 1.0 is refused after the SSLRequest and accepted on the direct path of the same front; the evidence names the path', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: MODERN, direct: { ...LEGACY, alpn: ['postgresql'] } }));
    const classic = await handshake(server.endpoint('postgres'), { version: 'TLSv1', host, negotiation: 'postgres' });
    const direct = await handshake(server.endpoint('postgres'), { version: 'TLSv1', host, negotiation: 'direct' });
    assert.equal(classic.evidence.negotiation, 'postgres');
    assert.equal(classic.evidence.outcome, 'refused', classic.evidence.reason);
    assert.equal(classic.evidence.offered.alpn, undefined);
    assert.equal(direct.evidence.negotiation, 'direct');
    assert.equal(direct.evidence.outcome, 'accepted', direct.evidence.reason);
    assert.deepEqual(direct.evidence.offered.alpn, ['postgresql']);
    assert.equal(direct.evidence.negotiated?.alpn, 'postgresql');
    assert.equal(direct.peerChain.length, 1);
  });

  it('the default path is the SSLRequest, as before', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: MODERN }));
    const result = await handshake(server.endpoint('postgres'), { version: 'TLSv1.3', host });
    assert.equal(result.evidence.negotiation, 'postgres');
    assert.equal(result.evidence.outcome, 'accepted', result.evidence.reason);
  });

  it('a front without direct TLS: the direct handshake is declined, and the reason says why', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: MODERN }));
    const result = await handshake(server.endpoint('postgres'), { version: 'TLSv1.3', host, negotiation: 'direct' });
    assert.equal(result.evidence.outcome, 'declined', result.evidence.reason);
  });

  it('a direct-only front (SSLRequest answered N): the paths report tls-not-offered and accepted', async () => {
    const server = await serve(postgresTwoPaths({ direct: MODERN }));
    const classic = await handshake(server.endpoint('postgres'), { version: 'TLSv1.3', host });
    const direct = await handshake(server.endpoint('postgres'), { version: 'TLSv1.3', host, negotiation: 'direct' });
    assert.equal(classic.evidence.outcome, 'tls-not-offered');
    assert.equal(direct.evidence.outcome, 'accepted', direct.evidence.reason);
  });

  it('direct TLS is refused for MySQL, which has no such path', async () => {
    const server = await serve(() => undefined);
    await assert.rejects(handshake(server.endpoint('mysql'), { version: 'TLSv1.3', host, negotiation: 'direct' }), /only for PostgreSQL/);
  });
});

describe('cipher scan on each negotiation path', () => {
  it('finds the RSA key exchange suite the direct path alone accepts', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: { ...MODERN, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }, direct: { ...LEGACY, alpn: ['postgresql'] } }));
    const classic = await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'], { negotiation: 'postgres' });
    const direct = await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'], { negotiation: 'direct' });
    assert.equal(classic.negotiation, 'postgres');
    assert.equal(direct.negotiation, 'direct');
    const names = (scan: typeof classic) => scan.versions[0].acceptedSuites.map((suite) => suite.iana).sort();
    assert.deepEqual(names(classic), ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
    assert.deepEqual(names(direct), ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA']);
  });

  it('offers ALPN "postgresql" on the direct path: a front that insists on another protocol refuses every hello', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: MODERN, direct: { ...MODERN, alpn: ['not-postgresql'] } }));
    const direct = await scanCipherSuites(server.endpoint('postgres'), ['TLSv1.2'], { negotiation: 'direct' });
    // no_application_protocol (120): the ALPN offer reached the server and was judged.
    assert.match(direct.versions[0].reason ?? '', /alert 120/);
  });
});

describe('ClientHello ALPN extension', () => {
  it('encodes RFC 7301 protocol_name_list', () => {
    const hello = buildClientHello({ version: 'TLSv1.2', cipherSuites: [0xc02f], alpn: ['postgresql'] });
    const expected = Buffer.concat([Buffer.from([0x00, 0x10, 0x00, 0x0d, 0x00, 0x0b, 0x0a]), Buffer.from('postgresql')]);
    assert.ok(hello.includes(expected));
    assert.ok(!buildClientHello({ version: 'TLSv1.2', cipherSuites: [0xc02f] }).includes(Buffer.from('postgresql')));
  });
});

describe('transport controls judged on both paths (onEveryTlsPath through the checks)', () => {
  const target = (endpoint: { host: string; port: number }): Target => ({ name: 'two-paths', engine: 'postgres', host, port: endpoint.port, profile: 'baseline', timeoutMs: 3000, minCertDaysLeft: 30 });

  it('transport.no-tls1.0 and transport.strong-ciphers fail when only the direct path accepts TLS 1.0 and RSA key exchange', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: MODERN, direct: { ...LEGACY, alpn: ['postgresql'] } }));
    const twoPaths = target(server.endpoint('postgres'));
    const versions = await decideCheck(CHECKS['transport.no-tls1.0'], twoPaths);
    assert.equal(versions.decision.verdict, 'failed', versions.decision.reason);
    assert.match(versions.decision.reason, /SSLRequest path: TLS 1\.0 refused.*\| direct TLS path: TLS 1\.0 accepted/);
    const ciphers = await decideCheck(CHECKS['transport.strong-ciphers'], twoPaths);
    assert.equal(ciphers.decision.verdict, 'failed', ciphers.decision.reason);
    assert.match(ciphers.decision.reason, /direct TLS path: .*TLS_RSA_WITH_AES_128_CBC_SHA/);
  });

  it('a front without direct TLS is judged on the SSLRequest path alone, and says so', async () => {
    const server = await serve(postgresTwoPaths({ sslRequest: MODERN }));
    const { decision } = await decideCheck(CHECKS['transport.no-tls1.0'], target(server.endpoint('postgres')));
    assert.equal(decision.verdict, 'passed', decision.reason);
    assert.match(decision.reason, /direct TLS is not accepted, so the SSLRequest path is the only way in/);
  });
});
