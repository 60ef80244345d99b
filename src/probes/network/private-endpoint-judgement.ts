import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { ResolutionEvidence } from './resolution.js';

/**
 * Passes only when every answer is private and every lookup finished: one public (or CGNAT, or
 * special-purpose) address among private ones is a path around the private endpoint. A loopback
 * answer leaves the control undecided: it points at the harness's own machine, not at a network.
 */
export function judgePrivateEndpoint(resolution: ResolutionEvidence): Judgement {
  const listed = resolution.answers.map((answer) => `${answer.address} (${answer.class})`).join(', ');
  const exposed = resolution.answers.filter((answer) => answer.class !== 'private' && answer.class !== 'loopback');
  if (exposed.length > 0) {
    return failed(`${resolution.host} resolves to addresses outside private ranges via ${resolution.via}: ${exposed.map((answer) => `${answer.address} (${answer.class})`).join(', ')}; all answers: ${listed}`);
  }
  if (resolution.problems.length > 0) return undecided(`not every answer for ${resolution.host} could be seen (${resolution.problems.join('; ')}); answers so far: ${listed || 'none'}`);
  if (resolution.answers.length === 0) return undecided(`${resolution.host} resolved to no address via ${resolution.via}, so there is nothing to show private`);
  if (resolution.answers.some((answer) => answer.class === 'loopback')) {
    return undecided(`${resolution.host} resolves to loopback (${listed}): the server is on the harness's own machine, which shows nothing about private networking`);
  }
  return passed(`every address ${resolution.host} resolves to via ${resolution.via} is private: ${listed}`);
}
