import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeForwardSecrecy } from '../../../src/probes/transport/strong-ciphers-check.js';
import { judgeKeyExchangeGroups } from '../../../src/probes/transport/key-exchange-judgement.js';
import type { AcceptedSuite, CipherScanEvidence, VersionCipherScan } from '../../../src/probes/transport/cipher-scan.js';
import type { EphemeralGroup } from '../../../src/tls/key-exchange-groups.js';
import type { TlsVersion } from '../../../src/tls/versions.js';

const DHE = { code: '0x009F', iana: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', forwardSecrecy: true, weaknesses: [] };
const ECDHE = { code: '0xC030', iana: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', forwardSecrecy: true, weaknesses: [] };
const TLS13 = { code: '0x1302', iana: 'TLS_AES_256_GCM_SHA384', forwardSecrecy: true, weaknesses: [] };
const RSA = { code: '0x009D', iana: 'TLS_RSA_WITH_AES_256_GCM_SHA384', forwardSecrecy: false, weaknesses: [] };

const dh = (bits: number, knownAs?: string): EphemeralGroup => ({ family: 'DH', bits, ...(knownAs ? { knownAs } : {}) });
const curve = (name: string, bits: number, strengthBits: number): EphemeralGroup => ({ family: 'EC', name, bits, strengthBits });
const P256 = curve('secp256r1', 256, 128);
const X25519 = curve('x25519', 255, 128);

function suite(base: typeof DHE, group?: EphemeralGroup, groupUnreadable?: string): AcceptedSuite {
  return { ...base, weaknesses: [], ...(group ? { keyExchangeGroup: group } : {}), ...(groupUnreadable ? { groupUnreadable } : {}) };
}

function scan(...versions: Array<[TlsVersion, AcceptedSuite[], VersionCipherScan['status']?]>): CipherScanEvidence {
  return {
    negotiation: 'postgres',
    versions: versions.map(([version, acceptedSuites, status]) => ({
      version,
      status: status ?? (acceptedSuites.length > 0 ? 'accepted' : 'version-refused'),
      ...(status === 'undecided' ? { reason: 'timeout: no answer' } : {}),
      acceptedSuites,
      connections: acceptedSuites.length + 1,
      elapsedMs: 1,
    })),
  };
}

/** A TLS 1.2 scan where the enumeration saw x25519, plus what the weak-curve probe found. */
function withWeakCurveProbe(probe: VersionCipherScan['weakCurveProbe']): CipherScanEvidence {
  const evidence = scan(['TLSv1.2', [suite(ECDHE, X25519)]]);
  evidence.versions[0].weakCurveProbe = probe;
  return evidence;
}
const OFFERED_WEAK = ['secp224r1', 'secp192r1'];

const TABLE: Array<{ name: string; evidence: CipherScanEvidence; verdict: 'passed' | 'failed' | 'undecided'; reason: RegExp }> = [
  {
    name: 'DH 1024 on a DHE suite fails, naming the group',
    evidence: scan(['TLSv1.2', [suite(ECDHE, P256), suite(DHE, dh(1024))]], ['TLSv1.3', [suite(TLS13, P256)]]),
    verdict: 'failed',
    reason: /TLS 1\.2 TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: DH 1024, below 2048 bits/,
  },
  {
    name: 'DH 2047 fails; the boundary is 2048',
    evidence: scan(['TLSv1.2', [suite(DHE, dh(2047))]]),
    verdict: 'failed',
    reason: /DH 2047/,
  },
  {
    name: 'DH 2048 (the server\'s own prime or ffdhe2048), P-256 and x25519 pass, listed per version',
    evidence: scan(['TLSv1.2', [suite(DHE, dh(2048)), suite(ECDHE, P256)]], ['TLSv1.3', [suite(TLS13, X25519), suite(TLS13, dh(2048, 'ffdhe2048'))]]),
    verdict: 'passed',
    reason: /TLS 1\.2 DH 2048 \(1 suite\), TLS 1\.2 secp256r1 \(1 suite\), TLS 1\.3 x25519 \(1 suite\), TLS 1\.3 DH 2048 \(ffdhe2048\) \(1 suite\)/,
  },
  {
    name: 'a 224-bit curve fails',
    evidence: scan(['TLSv1.2', [suite(ECDHE, curve('secp224r1', 224, 112))]]),
    verdict: 'failed',
    reason: /secp224r1, a 224-bit curve, below 256 bits/,
  },
  {
    name: 'a weak group on TLS 1.3 fails too',
    evidence: scan(['TLSv1.3', [suite(TLS13, curve('secp192r1', 192, 96))]]),
    verdict: 'failed',
    reason: /TLS 1\.3 TLS_AES_256_GCM_SHA384: secp192r1/,
  },
  {
    name: 'an ephemeral suite whose group could not be read is undecided, with why',
    evidence: scan(['TLSv1.2', [suite(ECDHE, P256), suite(DHE, undefined, 'no ServerKeyExchange after the ServerHello: the connection closed')]]),
    verdict: 'undecided',
    reason: /TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 \(no ServerKeyExchange after the ServerHello: the connection closed\)/,
  },
  {
    name: 'an ephemeral suite with no group recorded at all is undecided, not passed',
    evidence: scan(['TLSv1.2', [suite(ECDHE)]]),
    verdict: 'undecided',
    reason: /no group recorded/,
  },
  {
    name: 'a curve of unknown size is undecided',
    evidence: scan(['TLSv1.2', [suite(ECDHE, { family: 'EC', name: 'unassigned (0x7777)' })]]),
    verdict: 'undecided',
    reason: /unassigned \(0x7777\) has no known size/,
  },
  {
    name: 'a small group outweighs an unreadable one and an undecided version',
    evidence: scan(['TLSv1.1', [], 'undecided'], ['TLSv1.2', [suite(DHE, dh(1024)), suite(ECDHE, undefined, 'garbage')]]),
    verdict: 'failed',
    reason: /DH 1024/,
  },
  {
    name: 'strong groups with a version that could not be enumerated are undecided',
    evidence: scan(['TLSv1.1', [], 'undecided'], ['TLSv1.2', [suite(ECDHE, P256)]]),
    verdict: 'undecided',
    reason: /could not enumerate TLS 1\.1/,
  },
  {
    name: 'no ephemeral key exchange at all says so',
    evidence: scan(['TLSv1.2', [suite(RSA)]]),
    verdict: 'passed',
    reason: /no ephemeral key exchange was accepted/,
  },
  {
    name: 'x25519 for our hello, but secp224r1 for a client offering only small curves, fails',
    evidence: withWeakCurveProbe({ offered: OFFERED_WEAK, outcome: 'accepted', group: 'secp224r1', keyExchangeGroup: curve('secp224r1', 224, 112), reason: 'server accepted TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 with secp224r1' }),
    verdict: 'failed',
    reason: /TLS 1\.2 ECDHE for a client offering only curves below 256 bits: server accepted TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 with secp224r1/,
  },
  {
    name: 'small curves refused passes, and the pass says that was tried',
    evidence: withWeakCurveProbe({ offered: OFFERED_WEAK, outcome: 'refused', reason: 'refused with alert 40 (handshake_failure)' }),
    verdict: 'passed',
    reason: /TLS 1\.2 x25519 \(1 suite\); TLS 1\.2 refused ECDHE to a client offering only curves below 256 bits/,
  },
  {
    name: 'a weak-curve probe that got no answer is undecided, not passed',
    evidence: withWeakCurveProbe({ offered: OFFERED_WEAK, outcome: 'undecided', reason: 'timeout: no complete answer' }),
    verdict: 'undecided',
    reason: /only curves below 256 bits \(timeout: no complete answer\)/,
  },
  {
    name: 'a strong curve answered to the weak-curve probe (the server ignored our list) is no finding',
    evidence: withWeakCurveProbe({ offered: OFFERED_WEAK, outcome: 'accepted', group: 'secp256r1', keyExchangeGroup: P256, reason: 'server accepted it with secp256r1' }),
    verdict: 'passed',
    reason: /x25519/,
  },
  {
    name: 'a server without TLS fails',
    evidence: scan(['TLSv1.2', [], 'tls-not-offered'], ['TLSv1.3', [], 'tls-not-offered']),
    verdict: 'failed',
    reason: /offers no TLS/,
  },
];

for (const row of TABLE) {
  test(`transport.strong-ciphers key exchange judge: ${row.name}`, () => {
    const judgement = judgeKeyExchangeGroups(row.evidence);
    assert.equal(judgement.verdict, row.verdict, judgement.reason);
    assert.match(judgement.reason, row.reason);
  });
}

test('transport.strong-ciphers forward secrecy judge: a 1024-bit DH group fails it, as a non-forward-secret suite does', () => {
  const weakGroup = judgeForwardSecrecy(scan(['TLSv1.2', [suite(ECDHE, P256), suite(DHE, dh(1024))]]));
  assert.equal(weakGroup.verdict, 'failed');
  assert.match(weakGroup.reason, /DH 1024/);
  const rsa = judgeForwardSecrecy(scan(['TLSv1.2', [suite(RSA), suite(DHE, dh(1024))]]));
  assert.equal(rsa.verdict, 'failed');
  assert.match(rsa.reason, /without forward secrecy/);
  const strong = judgeForwardSecrecy(scan(['TLSv1.2', [suite(ECDHE, P256)]], ['TLSv1.3', [suite(TLS13, P256)]]));
  assert.equal(strong.verdict, 'passed');
  assert.match(strong.reason, /all 1 accepted suites below TLS 1\.3 use ECDHE or DHE; every ephemeral key exchange uses at least a 2048-bit DH group or a 256-bit curve: TLS 1\.2 secp256r1 \(1 suite\), TLS 1\.3 secp256r1 \(1 suite\)/);
});
