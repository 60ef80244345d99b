import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { assessChainTrust, type ChainTrust } from '../../tls/certificate/chain-trust.js';
import { publicKeyOf, summarizeCertificate, type CertificateSummary, type PublicKeySummary } from '../../tls/certificate/certificate-summary.js';
import type { TrustBundle } from '../../tls/certificate/trust-bundle.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';

/** One certificate as the validity and key judges see it. */
interface JudgedCertificate {
  label: string;
  validFrom: string;
  validTo: string;
  key: PublicKeySummary;
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/** No extendedKeyUsage extension allows every purpose; one that is present must name serverAuth or any. */
function allowsServerAuth(certificate: X509Certificate): boolean {
  const usages = certificate.keyUsage;
  return usages === undefined || usages.includes(SERVER_AUTH) || usages.includes(ANY_EXTENDED_KEY_USAGE);
}

const WEAK_DIGESTS = new Set(['md2', 'md5', 'sha1']);
const DAY_MS = 86_400_000;

/** DNS names in a SAN whose wildcard is part of a label (`db*.example.com`) rather than the whole left-most one. */
function partialWildcards(subjectAltName: string | undefined): string[] {
  return (subjectAltName ?? '')
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('DNS:') && entry.includes('*'))
    .map((entry) => entry.slice('DNS:'.length))
    .filter((name) => !name.startsWith('*.') || name.indexOf('*', 1) !== -1);
}

/**
 * The certificate chain a server presented, with one matcher per transport certificate control.
 * Matchers judge one property each, so one defect fails exactly one control.
 */
export class ServerCertificate {
  readonly chain: CertificateSummary[];
  private readonly leaf: X509Certificate;
  /** The chain is linked to a bundle once, though several matchers ask (each re-parsed every certificate). */
  private readonly trustByBundle = new WeakMap<TrustBundle, ChainTrust>();

  constructor(private readonly chainDer: Buffer[]) {
    if (chainDer.length === 0) throw new Error('the server presented no certificate');
    this.chain = chainDer.map((der) => summarizeCertificate(der));
    this.leaf = new X509Certificate(chainDer[0]);
  }

  private trustIn(bundle: TrustBundle): ChainTrust {
    let trust = this.trustByBundle.get(bundle);
    if (!trust) {
      trust = assessChainTrust(this.chainDer, bundle);
      this.trustByBundle.set(bundle, trust);
    }
    return trust;
  }

  /**
   * Linked to an anchor in `bundle`, and every certificate on the path allows TLS server
   * authentication: OpenSSL clients check the purpose of the whole chain and refuse a leaf (or a
   * CA) whose extendedKeyUsage leaves serverAuth out ("unsuitable certificate purpose").
   */
  chainsTo(bundle: TrustBundle): Judgement {
    const trust = this.trustIn(bundle);
    const reason = `${trust.reason}; path: ${trust.path.join(' <- ')}`;
    if (!trust.trusted) return failed(reason);
    const wrongPurpose = [...trust.presentedOnPath, ...trust.bundleOnPath].filter((certificate) => !allowsServerAuth(certificate));
    if (wrongPurpose.length > 0) {
      const listed = wrongPurpose.map((certificate) => `"${certificate.subject.replace(/\n/g, ', ')}" (extendedKeyUsage ${certificate.keyUsage!.join(', ')})`).join('; ');
      return failed(`${reason}; but not for a TLS server: ${listed} leaves out serverAuth (${SERVER_AUTH}), so clients refuse the chain`);
    }
    return passed(reason);
  }

  /**
   * Matched as RFC 9525 clients (libpq's verify-full, Go, browsers) match: against the
   * subjectAltName only, never the subject's CN (Node's checkServerIdentity falls back to it), and a
   * wildcard only as the whole left-most label: libpq refuses `db*.example.com` for db1.example.com,
   * which Node's matcher accepts. OpenSSL's own host check (X509_check_host) does the matching.
   */
  names(dialled: string): Judgement {
    // A URL's [::1] is the address ::1; a link-local address's zone (fe80::1%eth0) names the interface, not the address.
    const host = dialled.replace(/^\[(.*)\]$/, '$1').replace(/^([0-9a-fA-F:.]+)%.*$/, (whole, address: string) => (isIP(address) === 6 ? address : whole));
    const names = this.chain[0].subjectAltName ?? `no SAN, so no name at all; the subject's CN is ignored by modern clients (${this.chain[0].subject})`;
    const matched = isIP(host)
      ? this.leaf.checkIP(host) !== undefined
      : this.leaf.checkHost(host, { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false }) !== undefined;
    if (matched) return passed(`certificate names "${host}" (${names})`);
    const partial = partialWildcards(this.chain[0].subjectAltName);
    const note = partial.length > 0 ? `; ${partial.join(', ')} ${partial.length === 1 ? 'is a partial wildcard' : 'are partial wildcards'}, which clients do not match` : '';
    return failed(`certificate does not name "${host}" (${names})${note}`);
  }

  /**
   * The leaf, every presented intermediate and the trust anchor the chain links to in `bundle`: a
   * client refuses the chain when any of them is out of its validity period, so an expired
   * intermediate or root breaks connections as surely as an expired leaf, and one that expires
   * soon is as urgent.
   */
  isValidFor(now: Date, minDaysLeft: number, bundle?: TrustBundle): Judgement {
    const judged = this.judgedCertificates(bundle);
    const findings = judged.map(({ validFrom: from, validTo: to, label }) => {
      const validFrom = new Date(from);
      const validTo = new Date(to);
      const daysLeft = Math.floor((validTo.getTime() - now.getTime()) / DAY_MS);
      if (Number.isNaN(validFrom.getTime()) || Number.isNaN(validTo.getTime())) return { problem: `${label} has unreadable dates (${from} to ${to})`, daysLeft, unreadable: true };
      const window = `valid from ${validFrom.toISOString()} to ${validTo.toISOString()}`;
      if (now < validFrom) return { problem: `${label} is not valid yet (${window})`, daysLeft };
      if (now > validTo) return { problem: `${label} expired ${-daysLeft} days ago (${window})`, daysLeft };
      if (daysLeft < minDaysLeft) return { problem: `${label} expires in ${daysLeft} days, fewer than the required ${minDaysLeft} (${window})`, daysLeft };
      return { daysLeft, window };
    });
    const problems = findings.filter((finding) => finding.problem && !('unreadable' in finding)).map((finding) => finding.problem!);
    if (problems.length > 0) return failed(problems.join('; '));
    const unreadable = findings.filter((finding) => 'unreadable' in finding).map((finding) => finding.problem!);
    if (unreadable.length > 0) return undecided(unreadable.join('; '));
    const leaf = findings[0];
    const fewest = Math.min(...findings.map((finding) => finding.daysLeft));
    const chain = judged.length > 1 ? `; ${judged.length} certificates judged (${judged.map(({ label }) => label).join(', ')}), the chain as a whole has ${fewest} days left` : '';
    return passed(`${leaf.daysLeft} days left, at least ${minDaysLeft} required (${leaf.window})${chain}`);
  }

  /**
   * What the validity and key judges look at. For a chain that links to `bundle`: the presented
   * certificates on that path and the anchor it ends in, and nothing the server sent besides (a
   * stale cross-certificate off the path is ignored by clients too). Otherwise: the leaf and every
   * presented certificate that is not self-issued.
   */
  private judgedCertificates(bundle: TrustBundle | undefined): JudgedCertificate[] {
    const trust = bundle ? this.trustIn(bundle) : undefined;
    const label = (certificate: X509Certificate | CertificateSummary, index: number) =>
      index === 0 ? 'the server certificate' : `intermediate "${certificate.subject.replace(/\n/g, ', ')}"`;
    if (!trust?.trusted || !trust.anchor) {
      return this.judgedChain().map((certificate, index) => ({ label: label(certificate, index), validFrom: certificate.validFrom, validTo: certificate.validTo, key: certificate.publicKey }));
    }
    const anchor = trust.anchor;
    const onPath = trust.presentedOnPath.filter((certificate, index) => index === 0 || certificate.fingerprint256 !== anchor.fingerprint256);
    const judged = [
      ...onPath.map((certificate, index) => ({ label: label(certificate, index), validFrom: certificate.validFrom, validTo: certificate.validTo, key: publicKeyOf(certificate) })),
      ...trust.bundleOnPath.map((certificate) => ({ label: `intermediate "${certificate.subject.replace(/\n/g, ', ')}" from the trust bundle`, validFrom: certificate.validFrom, validTo: certificate.validTo, key: publicKeyOf(certificate) })),
    ];
    if (anchor.fingerprint256 === onPath[0].fingerprint256) return judged;
    return [...judged, { label: `trust anchor "${anchor.subject.replace(/\n/g, ', ')}"`, validFrom: anchor.validFrom, validTo: anchor.validTo, key: publicKeyOf(anchor) }];
  }

  /**
   * The leaf's, every presented intermediate's and the trust anchor's key: whoever can factor a
   * CA's RSA-1024 key can issue a leaf for any name, so a weak CA key is as bad as a weak leaf key.
   * The anchor is the one the chain links to in `bundle`; an untrusted chain has none to judge.
   */
  hasStrongKey(bundle?: TrustBundle): Judgement {
    const judged = this.judgedCertificates(bundle).map(({ key, label }) => {
      const described = `${key.type}${key.bits ? ` ${key.bits} bits` : ''}${key.curve ? ` (${key.curve})` : ''}`;
      const strong =
        ((key.type === 'rsa' || key.type === 'rsa-pss') && (key.bits ?? 0) >= 2048) ||
        (key.type === 'ec' && (key.bits ?? 0) >= 256) ||
        key.type === 'ed25519' ||
        key.type === 'ed448';
      return { strong, described: `${label} key is ${described}` };
    });
    const weak = judged.filter((key) => !key.strong);
    return weak.length === 0
      ? passed(judged.map((key) => key.described).join('; '))
      : failed(`${weak.map((key) => key.described).join('; ')}; required: RSA >= 2048 bits or EC >= 256 bits`);
  }

  /**
   * Certificates the judges take from `bundle` because the server did not send them: the
   * intermediates a client supplies and the trust anchor. Their keys and dates are judged (a
   * weak or expired anchor fails), so the report must show them beside the presented chain.
   */
  fromTrustBundle(bundle: TrustBundle): CertificateSummary[] {
    const trust = this.trustIn(bundle);
    if (!trust.trusted || !trust.anchor) return [];
    const presented = new Set(this.chain.map((certificate) => certificate.fingerprintSha256));
    return [...trust.bundleOnPath, trust.anchor].map((certificate) => summarizeCertificate(certificate.raw)).filter((certificate) => !presented.has(certificate.fingerprintSha256));
  }

  /** The leaf and every presented intermediate; a root's self-signature proves nothing and is not judged. */
  private judgedChain(): CertificateSummary[] {
    return this.chain.filter((certificate, index) => index === 0 || certificate.subject !== certificate.issuer);
  }

  /**
   * The leaf and every presented intermediate (for a chain that links to `bundle`, those on the
   * path to its anchor); a root's self-signature proves nothing and is not judged. A digest we cannot name (MD4, an OID we do not know) is not known to be strong.
   */
  hasStrongSignatures(bundle?: TrustBundle): Judgement {
    const trust = bundle ? this.trustIn(bundle) : undefined;
    const onPath = new Set(trust?.trusted ? trust.presentedOnPath.map((certificate) => certificate.fingerprint256) : []);
    // For a trusted chain, the path a client builds; an extra certificate sent besides is not on it.
    // Intermediates the path took from the bundle are signatures a client relies on too; the anchor's own is not.
    const fromBundle = trust?.trusted ? trust.bundleOnPath.map((certificate) => summarizeCertificate(certificate.raw)) : [];
    const judged = trust?.trusted ? [...this.judgedChain().filter((certificate) => onPath.has(certificate.fingerprintSha256)), ...fromBundle] : this.judgedChain();
    const weak = judged.filter((certificate) => WEAK_DIGESTS.has(certificate.signatureAlgorithm.hash));
    const unknown = judged.filter((certificate) => certificate.signatureAlgorithm.hash === 'unknown');
    const listing = judged.map((c) => `"${c.subject}": ${c.signatureAlgorithm.name}`).join('; ');
    if (weak.length > 0) return failed(`signed with a broken digest: ${weak.map((c) => `"${c.subject}" ${c.signatureAlgorithm.name}`).join('; ')}`);
    if (unknown.length > 0) return undecided(`signed with a digest this harness cannot tell: ${unknown.map((c) => `"${c.subject}" ${c.signatureAlgorithm.name} (OID ${c.signatureAlgorithm.oid})`).join('; ')}`);
    return passed(listing);
  }
}

