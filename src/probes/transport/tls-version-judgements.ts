import type { HandshakeResult } from '../../tls/handshake.js';
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

export function judgeRefused(result: HandshakeResult, all: HandshakeResult[]): Judgement {
  const { evidence } = result;
  const version = displayVersion(evidence.offered.version);
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

export function judgeAccepted(result: HandshakeResult, all: HandshakeResult[]): Judgement {
  const { evidence } = result;
  const version = displayVersion(evidence.offered.version);
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
