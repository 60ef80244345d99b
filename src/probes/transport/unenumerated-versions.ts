import { undecided, type Judgement } from '../../controls/judgement.js';
import { displayVersion } from '../../tls/versions.js';
import type { CipherScanEvidence } from './cipher-scan.js';

/** A pass over the scan holds only if every version was enumerated to its end; otherwise undecided, naming them. */
export function undecidedOr(scan: CipherScanEvidence, decided: () => Judgement): Judgement {
  const unknown = scan.versions.filter((version) => version.status === 'undecided');
  if (unknown.length > 0) {
    return undecided(`could not enumerate ${unknown.map((v) => `${displayVersion(v.version)} (${v.reason ?? 'no reason given'})`).join('; ')}`);
  }
  return decided();
}
