import type { HandshakeResult } from '../../tls/handshake.js';
import { displayVersion } from '../../tls/versions.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';

/**
 * A version must be refused. An alert, or a version other than the one offered, is a refusal. A
 * close without alert counts only when the same server completes some other handshake, which shows
 * it speaks TLS and chose not to speak this version; otherwise it may just be broken or hostile.
 */
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
    case 'closed': {
      const other = all.find((candidate) => candidate.evidence.outcome === 'accepted');
      return other
        ? passed(`${version} refused: ${evidence.reason}, while ${displayVersion(other.evidence.offered.version)} completes`)
        : undecided(`${version}: ${evidence.reason}, and no other version completed, so this is not proof of a refusal`);
    }
    case 'undecided':
      return undecided(`${version}: ${evidence.reason}`);
  }
}

export function judgeAccepted(result: HandshakeResult): Judgement {
  const { evidence } = result;
  const version = displayVersion(evidence.offered.version);
  switch (evidence.outcome) {
    case 'accepted':
      return passed(`${version} accepted: ${evidence.reason}`);
    case 'refused':
    case 'closed':
    case 'tls-not-offered':
      return failed(`${version} not accepted: ${evidence.reason}`);
    case 'undecided':
      return undecided(`${version}: ${evidence.reason}`);
  }
}
