import { defineCheck, type Check } from '../check.js';
import type { ControlId } from '../../controls/catalogue.js';
import type { HandshakeResult } from '../../tls/handshake.js';
import type { TlsVersion } from '../../tls/versions.js';
import { displayVersion } from '../../tls/versions.js';
import type { VersionCipherScan } from './cipher-scan.js';
import { judgeAccepted, judgeRefused, refusalNeedsSuiteScan } from './tls-version-judgements.js';

export interface VersionEvidence {
  offered: HandshakeResult;
  /** Every version's handshake: a silent close counts as a refusal only when another version completes. */
  all: HandshakeResult[];
  /**
   * The cipher scan of this version, read only when the handshake was refused with an alert other
   * than protocol_version: whether the server takes the version with suites our client lacks.
   */
  suiteScan?: VersionCipherScan;
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
        const offered = await context.handshake(version);
        const suiteScan = refusalNeedsSuiteScan(offered) ? (await context.cipherSuites()).versions.find((scanned) => scanned.version === version) : undefined;
        return { offered, all: await context.allHandshakes(), ...(suiteScan ? { suiteScan } : {}) };
      },
      judge: ({ offered, all, suiteScan }) => (expect === 'refused' ? judgeRefused(offered, all, suiteScan) : judgeAccepted(offered, all, suiteScan)),
      shown: ({ offered, suiteScan }) => (suiteScan ? { ...offered.evidence, suiteScan: { status: suiteScan.status, reason: suiteScan.reason, acceptedSuites: suiteScan.acceptedSuites.map((suite) => suite.iana) } } : offered.evidence),
    }),
  };
}

export const noTls10 = versionCheck('transport.no-tls1.0', 'TLSv1', 'refused');
export const noTls11 = versionCheck('transport.no-tls1.1', 'TLSv1.1', 'refused');
export const offersTls12 = versionCheck('transport.tls1.2', 'TLSv1.2', 'accepted');
export const offersTls13 = versionCheck('transport.tls1.3', 'TLSv1.3', 'accepted');
/** Strict: TLS 1.2 must be refused, so only TLS 1.3 remains. */
export const tls13Only = versionCheck('transport.tls1.3-only', 'TLSv1.2', 'refused');
