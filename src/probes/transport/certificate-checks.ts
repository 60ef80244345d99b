import { defineCheck, type Check } from '../check.js';
import type { ControlId } from '../../controls/catalogue.js';
import type { Judgement } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import type { TrustBundle } from '../../tls/certificate/trust-bundle.js';
import { presentedCertificate } from './presented-certificate.js';
import { ServerCertificate } from './server-certificate.js';

export interface CertificateEvidence {
  /** The chain from the newest version that completed, or why there is none to judge. */
  presented: ServerCertificate | Judgement;
  trustBundle: TrustBundle;
  observedAt: Date;
}

/** One certificate control: a matcher of the presented certificate, each judging one property. */
function certificateCheck(id: ControlId, matcher: (certificate: ServerCertificate, evidence: CertificateEvidence, target: Target) => Judgement): Check<CertificateEvidence> {
  return defineCheck<CertificateEvidence>({
    id,
    evidenceTitle: 'certificate chain',
    async read(context) {
      // One parse of the chain for all five certificate controls of a negotiation, not one each.
      const presented = await context.once(`presented-certificate:${context.negotiation}`, async () => presentedCertificate(await context.allHandshakes()));
      return { presented, trustBundle: await context.trustBundle(), observedAt: new Date() };
    },
    judge: (evidence, target) => (evidence.presented instanceof ServerCertificate ? matcher(evidence.presented, evidence, target) : evidence.presented),
    // The chain as the server sent it, and what the judges took from the trust bundle besides (an
    // anchor the server did not send is judged for its key and dates too).
    shown: ({ presented, trustBundle }) => (presented instanceof ServerCertificate ? { presented: presented.chain, fromTrustBundle: presented.fromTrustBundle(trustBundle) } : presented),
  });
}

export const certTrusted = certificateCheck('transport.cert-trusted', (certificate, { trustBundle }) => certificate.chainsTo(trustBundle));
export const certHostname = certificateCheck('transport.cert-hostname', (certificate, _evidence, target) => certificate.names(target.host));
export const certValidity = certificateCheck('transport.cert-validity', (certificate, { observedAt, trustBundle }, target) => certificate.isValidFor(observedAt, target.minCertDaysLeft, trustBundle));
export const certKey = certificateCheck('transport.cert-key', (certificate, { trustBundle }) => certificate.hasStrongKey(trustBundle));
export const certSignature = certificateCheck('transport.cert-signature', (certificate, { trustBundle }) => certificate.hasStrongSignatures(trustBundle));
