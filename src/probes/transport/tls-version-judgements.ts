import type { HandshakeResult } from '../../tls/handshake.js';
import type { VersionCipherScan } from './cipher-scan.js';
import { displayVersion } from '../../tls/versions.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';

/**
 * A TLS alert is the server's explicit refusal. A handshake declined without one (a hang-up, a
 * reset, a reply in another version) counts only when the same server completes some other
 * version, which shows it speaks TLS and chose not to speak this one; otherwise it may be broken.
 */
function completedOther(all: HandshakeResult[]): HandshakeResult | undefined {
  return all.find((candidate) => candidate.evidence.outcome === 'accepted');
}

const ALERT_PROTOCOL_VERSION = 70;

/**
 * An alert other than protocol_version (handshake_failure, insufficient_security) says the server
 * found nothing in common with what our TLS client offered, not that it refuses the version: a
 * server that allows TLS 1.0 only with suites our OpenSSL no longer has (SEED, IDEA, RC4, DES) or
 * only with a group it lacks answers every handshake so. Such a refusal needs the cipher scan's word
 * for the version, which offers every registered suite as raw records.
 */
export function refusalNeedsSuiteScan(result: HandshakeResult): boolean {
  const alert = result.evidence.alert;
  return result.evidence.outcome === 'refused' && alert !== undefined && alert.code !== ALERT_PROTOCOL_VERSION;
}

/** What the cipher scan found for a version whose handshake was refused for want of a common suite or group. */
type SuiteScanWord = { kind: 'accepted'; reason: string } | { kind: 'refused'; reason: string } | { kind: 'unknown'; reason: string };

function suiteScanWord(result: HandshakeResult, scan: VersionCipherScan | undefined): SuiteScanWord | undefined {
  if (!refusalNeedsSuiteScan(result)) return undefined;
  const version = displayVersion(result.evidence.offered.version);
  if (!scan) return { kind: 'unknown', reason: `${version}: our TLS client was refused with ${result.evidence.reason}, which may mean no suite in common rather than no ${version}, and the cipher scan of ${version} is missing` };
  const suites = scan.acceptedSuites.map((suite) => suite.iana);
  if (scan.status === 'accepted' || suites.length > 0) {
    return { kind: 'accepted', reason: `${version} accepted: our TLS client was refused (${result.evidence.reason}), but the cipher scan negotiated ${version} with ${suites.join(', ')}, suites our client cannot offer` };
  }
  if (scan.status === 'version-refused') return { kind: 'refused', reason: `${version} refused: ${result.evidence.reason}; the cipher scan, offering every registered suite, was refused too (${scan.reason ?? 'no reason given'})` };
  return { kind: 'unknown', reason: `${version}: our TLS client was refused (${result.evidence.reason}), and the cipher scan could not tell whether ${version} is accepted with other suites (${scan.status}: ${scan.reason ?? 'no reason given'})` };
}

export function judgeRefused(result: HandshakeResult, all: HandshakeResult[], scan?: VersionCipherScan): Judgement {
  const { evidence } = result;
  const version = displayVersion(evidence.offered.version);
  const scanned = suiteScanWord(result, scan);
  if (scanned) return scanned.kind === 'accepted' ? failed(scanned.reason) : scanned.kind === 'refused' ? passed(scanned.reason) : undecided(scanned.reason);
  switch (evidence.outcome) {
    case 'refused':
      return passed(`${version} refused: ${evidence.reason}`);
    case 'tls-not-offered':
      return passed(`${version} cannot be negotiated: the server offers no TLS at all (${evidence.reason})`);
    case 'accepted':
      return failed(`${version} accepted: ${evidence.reason}`);
    case 'declined': {
      const other = completedOther(all);
      return other
        ? passed(`${version} refused: ${evidence.reason}, while ${displayVersion(other.evidence.offered.version)} completes`)
        : undecided(`${version}: ${evidence.reason}, and no other version completed, so this is not proof of a refusal`);
    }
    case 'undecided':
      return undecided(`${version}: ${evidence.reason}`);
  }
}

export function judgeAccepted(result: HandshakeResult, all: HandshakeResult[], scan?: VersionCipherScan): Judgement {
  const { evidence } = result;
  const version = displayVersion(evidence.offered.version);
  const scanned = suiteScanWord(result, scan);
  if (scanned) return scanned.kind === 'accepted' ? passed(scanned.reason) : scanned.kind === 'refused' ? failed(scanned.reason) : undecided(scanned.reason);
  switch (evidence.outcome) {
    case 'accepted':
      return passed(`${version} accepted: ${evidence.reason}`);
    case 'refused':
    case 'tls-not-offered':
      return failed(`${version} not accepted: ${evidence.reason}`);
    case 'declined': {
      const other = completedOther(all);
      return other
        ? failed(`${version} not accepted: ${evidence.reason}, while ${displayVersion(other.evidence.offered.version)} completes`)
        : undecided(`${version}: ${evidence.reason}, and no other version completed either, so the server may just be broken`);
    }
    case 'undecided':
      return undecided(`${version}: ${evidence.reason}`);
  }
}
