import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { PrivateEndpointConnectionFacts } from '../plane/server-facts.js';
import type { ResolutionEvidence } from './resolution.js';

/**
 * What Azure Resource Manager says about how the server is reached privately, read when the target
 * declares its Azure resource: a private address alone does not show an approved private endpoint.
 */
export type PrivateLinkEvidence =
  | {
      plane: string;
      server: string;
      /** VNet integration: the server's own address in a delegated subnet, no private endpoint involved. */
      delegatedSubnetResourceId?: string;
      /** Undefined when ARM's answer has no privateEndpointConnections list at all. */
      connections?: PrivateEndpointConnectionFacts[];
    }
  | { unreadable: string };

export interface PrivateEndpointEvidence extends ResolutionEvidence {
  /** Absent when the target declares no Azure resource: the answers alone are judged. */
  azure?: PrivateLinkEvidence;
}

/**
 * Passes only when every answer is private and every lookup finished: one public (or CGNAT, or
 * special-purpose) address among private ones is a path around the private endpoint. A loopback
 * answer leaves the control undecided: it points at the harness's own machine, not at a network.
 * With a declared Azure resource, the private address must also come from a private endpoint whose
 * connection is Approved (and provisioned), or from VNet integration: a Pending, Rejected or
 * Disconnected connection carries no traffic as approved, so it does not count.
 */
export function judgePrivateEndpoint(evidence: PrivateEndpointEvidence): Judgement {
  const listed = evidence.answers.map((answer) => `${answer.address} (${answer.class})`).join(', ');
  const exposed = evidence.answers.filter((answer) => answer.class !== 'private' && answer.class !== 'loopback');
  if (exposed.length > 0) {
    return failed(`${evidence.host} resolves to addresses outside private ranges via ${evidence.via}: ${exposed.map((answer) => `${answer.address} (${answer.class})`).join(', ')}; all answers: ${listed}`);
  }
  const link = evidence.azure && !('unreadable' in evidence.azure) ? evidence.azure : undefined;
  const approved = link?.connections?.filter(isApproved) ?? [];
  // A decided failure on the plane outweighs an answer that could not be seen, as a public one does.
  if (link && !link.delegatedSubnetResourceId && link.connections && approved.length === 0) {
    const none = link.connections.length === 0 ? 'no private endpoint connection' : `no approved private endpoint connection (${link.connections.map(describe).join(', ')})`;
    return failed(`${link.server} on ${link.plane} has ${none} and no delegated subnet: ${listed ? `its private answers (${listed}) do not come from a private endpoint Azure approved` : 'nothing reaches it privately as approved'}`);
  }
  if (evidence.problems.length > 0) return undecided(`not every answer for ${evidence.host} could be seen (${evidence.problems.join('; ')}); answers so far: ${listed || 'none'}`);
  if (evidence.answers.length === 0) return undecided(`${evidence.host} resolved to no address via ${evidence.via}, so there is nothing to show private`);
  if (evidence.answers.some((answer) => answer.class === 'loopback')) {
    return undecided(`${evidence.host} resolves to loopback (${listed}): the server is on the harness's own machine, which shows nothing about private networking`);
  }
  const resolvedPrivately = `every address ${evidence.host} resolves to via ${evidence.via} is private: ${listed}`;
  if (!evidence.azure) return passed(resolvedPrivately);
  if ('unreadable' in evidence.azure) {
    return undecided(`${resolvedPrivately}, but the declared Azure resource could not be read, so whether they come from an approved private endpoint cannot be told: ${evidence.azure.unreadable}`);
  }
  if (link!.delegatedSubnetResourceId) return passed(`${resolvedPrivately}; ${link!.server} on ${link!.plane} is integrated into a virtual network (delegated subnet ${link!.delegatedSubnetResourceId})`);
  if (!link!.connections) {
    return undecided(`${resolvedPrivately}, but ${link!.server} on ${link!.plane} lists no privateEndpointConnections and no delegated subnet: whether the private addresses come from an approved private endpoint cannot be told`);
  }
  const others = link!.connections.filter((connection) => !isApproved(connection));
  // ARM lists no address on a connection: that the answers are the approved endpoint's own
  // addresses (not another endpoint's, or some other private host's) is not read, so not claimed.
  return passed(`${resolvedPrivately}; ${link!.server} on ${link!.plane} has ${approved.length} approved private endpoint connection${approved.length === 1 ? '' : 's'} (${approved.map(describe).join(', ')})${others.length ? `; not counted: ${others.map(describe).join(', ')}` : ''}; whether those addresses belong to ${approved.length === 1 ? 'that endpoint' : 'one of those endpoints'} was not read (Azure lists no address on a connection)`);
}

/** Approved by the server's owner and provisioned: a connection still Creating, or Failed, carries nothing yet. */
function isApproved(connection: PrivateEndpointConnectionFacts): boolean {
  const provisioned = connection.provisioningState === undefined || connection.provisioningState.toLowerCase() === 'succeeded';
  return connection.status?.toLowerCase() === 'approved' && provisioned;
}

function describe(connection: PrivateEndpointConnectionFacts): string {
  const endpoint = connection.privateEndpointId?.split('/').pop();
  const state = [connection.status ?? 'no status', connection.provisioningState].filter(Boolean).join(', ');
  return `${connection.name}${endpoint && endpoint !== connection.name ? ` to ${endpoint}` : ''} (${state})`;
}
