import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noTls10, noTls11, offersTls12, offersTls13, tls13Only } from '../../../src/probes/transport/tls-version-checks.js';
import type { HandshakeOutcome, HandshakeResult } from '../../../src/tls/handshake.js';
import type { TlsVersion } from '../../../src/tls/versions.js';
import type { Target } from '../../../src/targets/target.js';
import type { VersionCipherScan } from '../../../src/probes/transport/cipher-scan.js';

const target: Target = { name: 't', engine: 'postgres', host: 'db.example', port: 5432, profile: 'baseline', timeoutMs: 1000, minCertDaysLeft: 30 };
const handshake = (version: TlsVersion, outcome: HandshakeOutcome, reason = outcome): HandshakeResult => ({
  evidence: { offered: { version }, negotiation: 'postgres', outcome, reason, timings: { totalMs: 5 } },
  peerChain: [],
});

const rows: Array<{ id: string; check: typeof noTls10; offered: HandshakeOutcome; other: HandshakeOutcome; verdict: string; reason: RegExp }> = [
  { id: 'transport.no-tls1.0', check: noTls10, offered: 'refused', other: 'accepted', verdict: 'passed', reason: /TLS 1\.0 refused/ },
  { id: 'transport.no-tls1.0', check: noTls10, offered: 'accepted', other: 'accepted', verdict: 'failed', reason: /TLS 1\.0 accepted/ },
  { id: 'transport.no-tls1.0', check: noTls10, offered: 'declined', other: 'accepted', verdict: 'passed', reason: /while TLS 1\.3 completes/ },
  { id: 'transport.no-tls1.0', check: noTls10, offered: 'declined', other: 'declined', verdict: 'undecided', reason: /no other version completed/ },
  { id: 'transport.no-tls1.0', check: noTls10, offered: 'tls-not-offered', other: 'tls-not-offered', verdict: 'passed', reason: /offers no TLS at all/ },
  { id: 'transport.no-tls1.0', check: noTls10, offered: 'undecided', other: 'accepted', verdict: 'undecided', reason: /TLS 1\.0/ },
  { id: 'transport.tls1.3', check: offersTls13, offered: 'accepted', other: 'accepted', verdict: 'passed', reason: /TLS 1\.3 accepted/ },
  { id: 'transport.tls1.3', check: offersTls13, offered: 'refused', other: 'accepted', verdict: 'failed', reason: /not accepted/ },
  { id: 'transport.tls1.3', check: offersTls13, offered: 'tls-not-offered', other: 'tls-not-offered', verdict: 'failed', reason: /not accepted/ },
  { id: 'transport.tls1.3', check: offersTls13, offered: 'declined', other: 'declined', verdict: 'undecided', reason: /may just be broken/ },
  { id: 'transport.tls1.3-only', check: tls13Only, offered: 'accepted', other: 'accepted', verdict: 'failed', reason: /TLS 1\.2 accepted/ },
  { id: 'transport.tls1.3-only', check: tls13Only, offered: 'refused', other: 'accepted', verdict: 'passed', reason: /TLS 1\.2 refused/ },
];

for (const { id, check, offered, other, verdict, reason } of rows) {
  test(`${id} judge: offered version ${offered}, another version ${other} -> ${verdict}`, () => {
    assert.equal(check.id, id);
    const otherVersion: TlsVersion = check.version === 'TLSv1.3' ? 'TLSv1.2' : 'TLSv1.3';
    const offeredResult = handshake(check.version, offered);
    const judgement = check.judge({ offered: offeredResult, all: [offeredResult, handshake(otherVersion, other)] }, target);
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}

test('transport.no-tls1.1 and transport.tls1.2 judge their own version', () => {
  assert.equal(noTls11.id, 'transport.no-tls1.1');
  assert.equal(noTls11.version, 'TLSv1.1');
  const refused = handshake('TLSv1.1', 'refused');
  assert.equal(noTls11.judge({ offered: refused, all: [refused] }, target).verdict, 'passed');
  assert.equal(offersTls12.id, 'transport.tls1.2');
  const accepted = handshake('TLSv1.2', 'accepted');
  assert.equal(offersTls12.judge({ offered: accepted, all: [accepted] }, target).verdict, 'passed');
  assert.equal(offersTls12.judge({ offered: handshake('TLSv1.2', 'refused'), all: [accepted] }, target).verdict, 'failed');
});

/** A refusal with an alert other than protocol_version: our client had no suite or group in common with the server. */
const refusedForSuites = (version: TlsVersion): HandshakeResult => ({
  evidence: {
    offered: { version },
    negotiation: 'postgres',
    outcome: 'refused',
    reason: 'server sent TLS alert 40 (handshake_failure)',
    alert: { code: 40, name: 'handshake_failure' },
    timings: { totalMs: 5 },
  },
  peerChain: [],
});
const scanOf = (version: TlsVersion, status: VersionCipherScan['status'], suites: string[] = []): VersionCipherScan => ({
  version,
  status,
  reason: status === 'accepted' ? undefined : 'no suite in common',
  acceptedSuites: suites.map((iana) => ({ code: '0x0000', iana, forwardSecrecy: iana.includes('DHE'), weaknesses: [] })),
  connections: 3,
  elapsedMs: 5,
});

// PostgreSQL 16 with ssl_min_protocol_version TLSv1 and ssl_ciphers 'DHE-RSA-SEED-SHA:SEED-SHA': our OpenSSL 3
// has no SEED, so every handshake ended in handshake_failure and no-tls1.0 passed, while openssl s_client
// (legacy provider) and the cipher scan both negotiated TLS 1.0.
const suiteRows: Array<{ check: typeof noTls10; scan: VersionCipherScan['status'] | 'missing'; verdict: string; reason: RegExp }> = [
  { check: noTls10, scan: 'accepted', verdict: 'failed', reason: /TLS 1\.0 accepted: .*cipher scan negotiated TLS 1\.0 with TLS_DHE_RSA_WITH_SEED_CBC_SHA/ },
  { check: noTls10, scan: 'version-refused', verdict: 'passed', reason: /TLS 1\.0 refused: .*cipher scan, offering every registered suite, was refused too/ },
  { check: noTls10, scan: 'undecided', verdict: 'undecided', reason: /could not tell/ },
  { check: noTls10, scan: 'missing', verdict: 'undecided', reason: /cipher scan of TLS 1\.0 is missing/ },
  { check: offersTls12, scan: 'accepted', verdict: 'passed', reason: /TLS 1\.2 accepted: .*suites our client cannot offer/ },
  { check: offersTls12, scan: 'version-refused', verdict: 'failed', reason: /TLS 1\.2 refused/ },
  { check: tls13Only, scan: 'accepted', verdict: 'failed', reason: /TLS 1\.2 accepted/ },
];

for (const { check, scan, verdict, reason } of suiteRows) {
  test(`${check.id} judge: handshake refused with handshake_failure, cipher scan of the version ${scan} -> ${verdict}`, () => {
    const offered = refusedForSuites(check.version);
    const suiteScan = scan === 'missing' ? undefined : scanOf(check.version, scan, scan === 'accepted' ? ['TLS_DHE_RSA_WITH_SEED_CBC_SHA'] : []);
    const judgement = check.judge({ offered, all: [offered, handshake('TLSv1.3', 'accepted')], ...(suiteScan ? { suiteScan } : {}) }, target);
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}

test('a protocol_version alert is the version refused, whatever the scan says', () => {
  const offered: HandshakeResult = { ...refusedForSuites('TLSv1'), evidence: { ...refusedForSuites('TLSv1').evidence, alert: { code: 70, name: 'protocol_version' } } };
  assert.equal(noTls10.judge({ offered, all: [offered] }, target).verdict, 'passed');
});
