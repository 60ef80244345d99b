import { defineCheck, type Check } from '../check.js';
import type { ControlId } from '../../controls/catalogue.js';
import type { HandshakeResult } from '../../tls/handshake.js';
import type { TlsVersion } from '../../tls/versions.js';
import { displayVersion } from '../../tls/versions.js';
import { judgeAccepted, judgeRefused } from './tls-version-judgements.js';

export interface VersionEvidence {
  offered: HandshakeResult;
  /** Every version's handshake: a silent close counts as a refusal only when another version completes. */
  all: HandshakeResult[];
}

export interface TlsVersionCheck extends Check<VersionEvidence> {
  readonly version: TlsVersion;
}

function versionCheck(id: ControlId, version: TlsVersion, expect: 'refused' | 'accepted'): TlsVersionCheck {
  return {
    version,
    ...defineCheck<VersionEvidence>({
      id,
      evidenceTitle: `handshake offering only ${displayVersion(version)}`,
      async read(context) {
        return { offered: await context.handshake(version), all: await context.allHandshakes() };
      },
      judge: ({ offered, all }) => (expect === 'refused' ? judgeRefused(offered, all) : judgeAccepted(offered, all)),
      shown: ({ offered }) => offered.evidence,
    }),
  };
}

export const noTls10 = versionCheck('transport.no-tls1.0', 'TLSv1', 'refused');
export const noTls11 = versionCheck('transport.no-tls1.1', 'TLSv1.1', 'refused');
export const offersTls12 = versionCheck('transport.tls1.2', 'TLSv1.2', 'accepted');
export const offersTls13 = versionCheck('transport.tls1.3', 'TLSv1.3', 'accepted');
/** Strict: TLS 1.2 must be refused, so only TLS 1.3 remains. */
export const tls13Only = versionCheck('transport.tls1.3-only', 'TLSv1.2', 'refused');
