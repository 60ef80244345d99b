import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CERTIFICATE_KINDS, certificateFiles, type CertificateKind } from '../../../src/lab/certificates.js';
import { cleanUpNow } from '../../../src/lab/cleanup-registry.js';
import { ServerCertificate } from '../../../src/probes/transport/server-certificate.js';
import { certHostname, certKey, certSignature, certTrusted, certValidity } from '../../../src/probes/transport/certificate-checks.js';
import { failed, undecided } from '../../../src/controls/judgement.js';
import type { Target } from '../../../src/targets/target.js';
import { loadTrustBundle } from '../../../src/tls/certificate/trust-bundle.js';
import { signatureAlgorithmOf } from '../../../src/tls/certificate/signature-algorithm.js';

after(() => cleanUpNow());

const derOf = async (pemFile: string) => Buffer.from(new X509Certificate(await readFile(pemFile)).raw);
/** Every certificate the file holds, leaf first, as the server sends them. */
const chainOf = async (pemFile: string) => ((await readFile(pemFile, 'utf8')).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((pem) => Buffer.from(new X509Certificate(pem).raw));

/** Which single certificate control each kind of certificate must fail. */
const DEFECT: Record<CertificateKind, string | undefined> = {
  good: undefined,
  expired: 'transport.cert-validity',
  'expiring-soon': 'transport.cert-validity',
  sha1: 'transport.cert-signature',
  rsa1024: 'transport.cert-key',
  'wrong-host': 'transport.cert-hostname',
  'self-signed': 'transport.cert-trusted',
  'ec-p256': undefined,
  'ec-p224': 'transport.cert-key',
  'not-yet-valid': 'transport.cert-validity',
  'cn-only': 'transport.cert-hostname',
  'ip-only-san': 'transport.cert-hostname',
  'intermediate-rsa1024': 'transport.cert-key',
  'intermediate-expired': 'transport.cert-validity',
  'intermediate-expiring-soon': 'transport.cert-validity',
  'intermediate-sha1': 'transport.cert-signature',
  'root-rsa1024': 'transport.cert-key',
  'root-expired': 'transport.cert-validity',
  'client-auth-only': 'transport.cert-trusted',
  // Dialled as localhost, which *.db.example does not name.
  wildcard: 'transport.cert-hostname',
  'partial-wildcard': 'transport.cert-hostname',
};
const CERTIFICATE_CHECKS = [certTrusted, certHostname, certValidity, certKey, certSignature];
// Dialled by name, so that a certificate naming the host only in its CN is put to the test.
const target: Target = { name: 't', engine: 'postgres', host: 'localhost', port: 5432, profile: 'baseline', timeoutMs: 1000, minCertDaysLeft: 30 };

for (const kind of CERTIFICATE_KINDS) {
  test(`transport.cert-trusted, cert-hostname, cert-validity, cert-key, cert-signature judges: a ${kind} certificate fails ${DEFECT[kind] ?? 'nothing'} and passes every other control`, async () => {
    const files = await certificateFiles(kind);
    const evidence = { presented: new ServerCertificate(await chainOf(files.certFile)), trustBundle: await loadTrustBundle(files.caFile), observedAt: new Date() };
    const verdicts = Object.fromEntries(CERTIFICATE_CHECKS.map((check) => [check.id, check.judge(evidence, target).verdict]));
    const expected = Object.fromEntries(CERTIFICATE_CHECKS.map((check) => [check.id, check.id === DEFECT[kind] ? 'failed' : 'passed']));
    assert.deepEqual(verdicts, expected);
  });
}

test('host names are matched as a client would: DNS names and IP addresses from the SAN, nothing else', async () => {
  const certificate = new ServerCertificate([await derOf((await certificateFiles('good')).certFile)]);
  assert.equal(certificate.names('localhost').verdict, 'passed');
  assert.equal(certificate.names('127.0.0.1').verdict, 'passed');
  assert.equal(certificate.names('127.0.0.2').verdict, 'failed');
  assert.equal(certificate.names('db.example').verdict, 'failed');
});

test('a wildcard SAN names exactly one label in its place, as clients match it', async () => {
  const certificate = new ServerCertificate([await derOf((await certificateFiles('wildcard')).certFile)]);
  assert.equal(certificate.names('a.db.example').verdict, 'passed');
  assert.equal(certificate.names('A.DB.Example').verdict, 'passed');
  assert.equal(certificate.names('db.example').verdict, 'failed');
  assert.equal(certificate.names('a.b.db.example').verdict, 'failed');
  assert.equal(certificate.names('a.db.example.evil').verdict, 'failed');
  assert.equal(certificate.names('127.0.0.1').verdict, 'passed');
});

test('a wildcard inside a label names nothing, as libpq and RFC 9525 clients refuse it (Node alone would match it)', async () => {
  const certificate = new ServerCertificate([await derOf((await certificateFiles('partial-wildcard')).certFile)]);
  const judgement = certificate.names('db1.db.example');
  assert.equal(judgement.verdict, 'failed');
  assert.match(judgement.reason, /db\*\.db\.example is a partial wildcard/);
  assert.equal(certificate.names('127.0.0.1').verdict, 'passed');
  assert.equal(certificate.names('[::1]').verdict, 'failed');
  // A zone names the interface, not the address: judged, not thrown on (the review's find).
  assert.equal(certificate.names('fe80::1%lo').verdict, 'failed');
});

test('the minimum number of days left is the configured one', async () => {
  const certificate = new ServerCertificate([await derOf((await certificateFiles('expiring-soon')).certFile)]);
  assert.equal(certificate.isValidFor(new Date(), 5).verdict, 'passed');
  assert.equal(certificate.isValidFor(new Date(), 30).verdict, 'failed');
  assert.match(certificate.isValidFor(new Date(), 30).reason, /expires in (9|10) days/);
});

test('a certificate is not trusted by a bundle that does not hold its issuer', async () => {
  const certificate = new ServerCertificate([await derOf((await certificateFiles('good')).certFile)]);
  const system = await loadTrustBundle(undefined);
  assert.equal(certificate.chainsTo(system).verdict, 'failed');
});

test('the signature algorithm is read from the DER', async () => {
  assert.equal(signatureAlgorithmOf(await derOf((await certificateFiles('sha1')).certFile)).name, 'sha1WithRSAEncryption');
  assert.equal(signatureAlgorithmOf(await derOf((await certificateFiles('good')).certFile)).name, 'sha256WithRSAEncryption');
  assert.throws(() => signatureAlgorithmOf(Buffer.from([0x30, 0x82, 0xff])), /truncated|unsupported/);
});

test('arbitrary bytes, or a real certificate damaged anywhere, give a summary or a CertificateParseError, nothing else', async () => {
  const { default: fc } = await import('fast-check');
  const { summarizeCertificate } = await import('../../../src/tls/certificate/certificate-summary.js');
  const { CertificateParseError } = await import('../../../src/tls/certificate/certificate-parse-error.js');
  const { FUZZ_RUNS } = await import('../../support/fuzz-runs.js');
  const good = await derOf((await certificateFiles('good')).certFile);
  const damaged = fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
    const copy = Buffer.from(good);
    copy[at] = byte;
    return copy;
  });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)), damaged), (bytes) => {
      try {
        summarizeCertificate(bytes);
      } catch (error) {
        assert.ok(error instanceof CertificateParseError, `unexpected ${String(error)}`);
      }
    }),
    { numRuns: Math.ceil(FUZZ_RUNS / 5) },
  );
});

test('transport.cert-trusted and the other certificate judges: no certificate presented, or no handshake completed, is that judgement for every one', () => {
  const bundle = { certificates: [], source: 'none' } as never;
  for (const presented of [failed('the server offers no TLS, so it presents no certificate at all'), undecided('no handshake completed')]) {
    for (const check of CERTIFICATE_CHECKS) assert.deepEqual(check.judge({ presented, trustBundle: bundle, observedAt: new Date() }, target), presented);
  }
});

/** The good leaf with its outer signatureAlgorithm OID's last byte changed: sha256WithRSAEncryption (…1.1.11) becomes another PKCS#1 OID. */
async function leafSignedWith(lastOidByte: number): Promise<Buffer> {
  const der = Buffer.from(await derOf((await certificateFiles('good')).certFile));
  const sha256WithRsa = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
  // The last occurrence is the outer AlgorithmIdentifier, after the TBSCertificate (which holds the first).
  const at = der.lastIndexOf(sha256WithRsa);
  assert.ok(at > 0);
  der[at + sha256WithRsa.length - 1] = lastOidByte;
  return der;
}

test('transport.cert-signature judge: a digest it does not know (md4WithRSAEncryption, an unregistered OID) is undecided, never passed; MD5 fails', async () => {
  const md4 = new ServerCertificate([await leafSignedWith(0x03)]);
  assert.equal(md4.chain[0].signatureAlgorithm.oid, '1.2.840.113549.1.1.3');
  assert.equal(md4.hasStrongSignatures().verdict, 'undecided');
  assert.match(md4.hasStrongSignatures().reason, /1\.2\.840\.113549\.1\.1\.3/);
  assert.equal(new ServerCertificate([await leafSignedWith(0x7f)]).hasStrongSignatures().verdict, 'undecided');
  assert.equal(new ServerCertificate([await leafSignedWith(0x04)]).hasStrongSignatures().verdict, 'failed');
  assert.equal(new ServerCertificate([await leafSignedWith(0x0c)]).hasStrongSignatures().verdict, 'passed');
});

test('transport.cert-validity and cert-key and cert-signature judges: for a trusted chain, the path to the anchor is judged, not an extra certificate the server sends besides', async () => {
  const good = await certificateFiles('good');
  const strayExpired = await derOf((await certificateFiles('expired')).certFile);
  const strayWeak = await derOf((await certificateFiles('rsa1024')).certFile);
  const straySha1 = await derOf((await certificateFiles('sha1')).certFile);
  const evidence = { presented: new ServerCertificate([...(await chainOf(good.certFile)), strayExpired, strayWeak, straySha1]), trustBundle: await loadTrustBundle(good.caFile), observedAt: new Date() };
  const validity = certValidity.judge(evidence, target);
  assert.equal(validity.verdict, 'passed', validity.reason);
  assert.match(validity.reason, /2 certificates judged \(the server certificate, trust anchor "CN=dbcomply test CA [0-9a-f]+"\)/);
  assert.equal(certKey.judge(evidence, target).verdict, 'passed');
  assert.equal(certSignature.judge(evidence, target).verdict, 'passed');
  // Untrusted, there is no path to tell them apart: every presented certificate is judged.
  const untrusted = { ...evidence, trustBundle: { source: 'an empty bundle', certificates: [] } };
  assert.equal(certValidity.judge(untrusted, target).verdict, 'failed');
  assert.equal(certKey.judge(untrusted, target).verdict, 'failed');
  assert.equal(certSignature.judge(untrusted, target).verdict, 'failed');
});

/*
 * A bundle that holds the intermediate as well as the root (an sslrootcert chain file): the path
 * still climbs to the root, and the intermediate is judged whether the server sends it or only the
 * bundle supplies it. Stopping at the intermediate in the bundle passed all three defects.
 */
for (const [kind, defect] of [
  ['intermediate-sha1', 'transport.cert-signature'],
  ['intermediate-rsa1024', 'transport.cert-key'],
  ['intermediate-expired', 'transport.cert-validity'],
] as const) {
  for (const sent of ['leaf and intermediate', 'the leaf alone'] as const) {
    test(`certificate judges: a ${kind} chain with the intermediate in the bundle too, the server sending ${sent}, fails ${defect} only`, async () => {
      const files = await certificateFiles(kind);
      const [leaf, ...intermediates] = await chainOf(files.certFile);
      const folder = await mkdtemp(join(tmpdir(), 'dbcomply-bundle-'));
      try {
        const bundleFile = join(folder, 'chain.pem');
        const pem = (der: Buffer) => new X509Certificate(der).toString();
        await writeFile(bundleFile, `${intermediates.map(pem).join('')}${await readFile(files.caFile, 'utf8')}`);
        const bundle = await loadTrustBundle(bundleFile);
        const evidence = { presented: new ServerCertificate(sent === 'the leaf alone' ? [leaf] : [leaf, ...intermediates]), trustBundle: bundle, observedAt: new Date() };
        const verdicts = Object.fromEntries(CERTIFICATE_CHECKS.map((check) => [check.id, check.judge(evidence, target).verdict]));
        const expected = Object.fromEntries(CERTIFICATE_CHECKS.map((check) => [check.id, check.id === defect ? 'failed' : 'passed']));
        assert.deepEqual(verdicts, expected, CERTIFICATE_CHECKS.map((check) => `${check.id}: ${check.judge(evidence, target).reason}`).join('\n'));
        // The anchor is the root, not the intermediate the bundle also holds.
        assert.match(certTrusted.judge(evidence, target).reason, /which the bundle's "CN=dbcomply test CA [0-9a-f]+".*issued in turn|links to "CN=dbcomply test CA/);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  }
}
