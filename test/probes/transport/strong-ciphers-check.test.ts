import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strongCiphers } from '../../../src/probes/transport/strong-ciphers-check.js';
import type { AcceptedSuite, CipherScanEvidence, VersionCipherScan } from '../../../src/probes/transport/cipher-scan.js';
import type { Target } from '../../../src/targets/target.js';

const target: Target = { name: 't', engine: 'postgres', host: 'db.example', port: 5432, profile: 'baseline', timeoutMs: 1000, minCertDaysLeft: 30 };
const suite = (iana: string, forwardSecrecy = true, weaknesses: AcceptedSuite['weaknesses'] = []): AcceptedSuite => ({ code: '0x0000', iana, forwardSecrecy, weaknesses });
const version = (v: VersionCipherScan['version'], status: VersionCipherScan['status'], acceptedSuites: AcceptedSuite[] = []): VersionCipherScan => ({
  version: v,
  status,
  acceptedSuites,
  connections: acceptedSuites.length + 1,
  elapsedMs: 3,
  reason: status === 'undecided' ? 'connection reset' : undefined,
});
const scan = (...versions: VersionCipherScan[]): CipherScanEvidence => ({ negotiation: 'postgres', versions });

const P256 = { family: 'EC', name: 'secp256r1', bits: 256, strengthBits: 128 } as const;
const GOOD12 = { ...suite('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'), group: 'secp256r1', keyExchangeGroup: P256 };
const GOOD13 = { ...suite('TLS_AES_256_GCM_SHA384'), group: 'secp256r1', keyExchangeGroup: P256 };
const rows: Array<{ name: string; evidence: CipherScanEvidence; verdict: string; reason: RegExp }> = [
  { name: 'only strong forward-secret suites', evidence: scan(version('TLSv1.2', 'accepted', [GOOD12]), version('TLSv1.3', 'accepted', [GOOD13])), verdict: 'passed', reason: /no weak suite accepted.*all 1 accepted suites below TLS 1\.3 use ECDHE or DHE/ },
  { name: 'a TLS 1.3-only server says that nothing below 1.3 was there to judge', evidence: scan(version('TLSv1', 'version-refused'), version('TLSv1.1', 'version-refused'), version('TLSv1.2', 'version-refused'), version('TLSv1.3', 'accepted', [GOOD13])), verdict: 'passed', reason: /TLS 1\.2: none \(version-refused\); TLS 1\.3: TLS_AES_256_GCM_SHA384; no suite below TLS 1\.3 is accepted, so every key exchange is TLS 1\.3's own/ },
  { name: 'an RC4 suite', evidence: scan(version('TLSv1.2', 'accepted', [GOOD12, suite('TLS_ECDHE_RSA_WITH_RC4_128_SHA', true, ['rc4'])])), verdict: 'failed', reason: /weak suites accepted: TLS 1\.2 TLS_ECDHE_RSA_WITH_RC4_128_SHA \(rc4\)/ },
  { name: 'static RSA key exchange below 1.3', evidence: scan(version('TLSv1.2', 'accepted', [suite('TLS_RSA_WITH_AES_128_GCM_SHA256', false)])), verdict: 'failed', reason: /without forward secrecy accepted: TLS 1\.2 TLS_RSA_WITH_AES_128_GCM_SHA256/ },
  { name: 'a 1024-bit DH group', evidence: scan(version('TLSv1.2', 'accepted', [{ ...suite('TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'), group: 'DH 1024', keyExchangeGroup: { family: 'DH', bits: 1024 } }])), verdict: 'failed', reason: /DH 1024/ },
  { name: 'an ephemeral group that could not be read', evidence: scan(version('TLSv1.2', 'accepted', [{ ...suite('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'), groupUnreadable: 'connection closed' }])), verdict: 'undecided', reason: /connection closed/ },
  { name: 'a version that could not be enumerated', evidence: scan(version('TLSv1.2', 'undecided', [GOOD12]), version('TLSv1.3', 'accepted', [GOOD13])), verdict: 'undecided', reason: /could not enumerate TLS 1\.2 \(connection reset\)/ },
  { name: 'a weak suite outweighs a version that could not be enumerated', evidence: scan(version('TLSv1', 'accepted', [suite('TLS_RSA_WITH_3DES_EDE_CBC_SHA', false, ['3des'])]), version('TLSv1.2', 'undecided')), verdict: 'failed', reason: /3des/ },
  { name: 'every version refused: nothing to judge', evidence: scan(version('TLSv1.2', 'version-refused'), version('TLSv1.3', 'version-refused')), verdict: 'undecided', reason: /no suite was accepted on any TLS version/ },
  { name: 'no TLS at all', evidence: scan(version('TLSv1.2', 'tls-not-offered'), version('TLSv1.3', 'tls-not-offered')), verdict: 'failed', reason: /offers no TLS at all/ },
];

for (const { name, evidence, verdict, reason } of rows) {
  test(`transport.strong-ciphers judge: ${name} -> ${verdict}`, () => {
    const judgement = strongCiphers.judge(evidence, target);
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
