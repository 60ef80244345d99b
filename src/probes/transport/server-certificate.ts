import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { assessChainTrust } from '../../tls/certificate/chain-trust.js';
import { summarizeCertificate, type CertificateSummary } from '../../tls/certificate/certificate-summary.js';
import type { TrustBundle } from '../../tls/certificate/trust-bundle.js';
import { failed, passed, type Judgement } from '../../controls/judgement.js';

const WEAK_DIGESTS = new Set(['md2', 'md5', 'sha1']);
const DAY_MS = 86_400_000;

/**
 * The certificate chain a server presented, with one matcher per transport certificate control.
 * Matchers judge one property each, so one defect fails exactly one control.
 */
export class ServerCertificate {
  readonly chain: CertificateSummary[];
  private readonly leaf: X509Certificate;

  constructor(private readonly chainDer: Buffer[]) {
    if (chainDer.length === 0) throw new Error('the server presented no certificate');
    this.chain = chainDer.map((der) => summarizeCertificate(der));
    this.leaf = new X509Certificate(chainDer[0]);
  }

  chainsTo(bundle: TrustBundle): Judgement {
    const trust = assessChainTrust(this.chainDer, bundle);
    const reason = `${trust.reason}; path: ${trust.path.join(' <- ')}`;
    return trust.trusted ? passed(reason) : failed(reason);
  }

  names(host: string): Judgement {
    const mismatch = tls.checkServerIdentity(host, this.leaf.toLegacyObject());
    const names = this.chain[0].subjectAltName ?? `no SAN; subject ${this.chain[0].subject}`;
    return mismatch
      ? failed(`certificate does not name "${host}" (${names})`)
      : passed(`certificate names "${host}" (${names})`);
  }

  isValidFor(now: Date, minDaysLeft: number): Judgement {
    const validFrom = new Date(this.leaf.validFrom);
    const validTo = new Date(this.leaf.validTo);
    const daysLeft = Math.floor((validTo.getTime() - now.getTime()) / DAY_MS);
    const window = `valid from ${validFrom.toISOString()} to ${validTo.toISOString()}`;
    if (now < validFrom) return failed(`certificate is not valid yet (${window})`);
    if (now > validTo) return failed(`certificate expired ${-daysLeft} days ago (${window})`);
    if (daysLeft < minDaysLeft) return failed(`certificate expires in ${daysLeft} days, fewer than the required ${minDaysLeft} (${window})`);
    return passed(`${daysLeft} days left, at least ${minDaysLeft} required (${window})`);
  }

  hasStrongKey(): Judgement {
    const key = this.chain[0].publicKey;
    const described = `${key.type}${key.bits ? ` ${key.bits} bits` : ''}${key.curve ? ` (${key.curve})` : ''}`;
    const strong =
      ((key.type === 'rsa' || key.type === 'rsa-pss') && (key.bits ?? 0) >= 2048) ||
      (key.type === 'ec' && (key.bits ?? 0) >= 256) ||
      key.type === 'ed25519' ||
      key.type === 'ed448';
    return strong
      ? passed(`server key is ${described}`)
      : failed(`server key is ${described}; required: RSA >= 2048 bits or EC >= 256 bits`);
  }

  /** The leaf and every presented intermediate; a root's self-signature proves nothing and is not judged. */
  hasStrongSignatures(): Judgement {
    const judged = this.chain.filter((certificate, index) => index === 0 || certificate.subject !== certificate.issuer);
    const weak = judged.filter((certificate) => WEAK_DIGESTS.has(certificate.signatureAlgorithm.hash));
    const listing = judged.map((c) => `"${c.subject}": ${c.signatureAlgorithm.name}`).join('; ');
    return weak.length > 0
      ? failed(`signed with a broken digest: ${weak.map((c) => `"${c.subject}" ${c.signatureAlgorithm.name}`).join('; ')}`)
      : passed(listing);
  }
}

