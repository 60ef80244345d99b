import { CannotObserve, defineCheck, NothingToJudge } from '../check.js';
import type { TargetContext } from '../target-context.js';
import { serverFacts } from '../plane/server-facts.js';
import { shortReason } from '../plane/plane-errors.js';
import { judgeAllowlist, judgeNoBanner } from './exposure-judgements.js';
import { judgePrivateEndpoint, type PrivateEndpointEvidence, type PrivateLinkEvidence } from './private-endpoint-judgement.js';

/** network.allowlist: denied vantage points are kept out before login, allowed ones get through. */
export const allowlist = defineCheck({
  id: 'network.allowlist',
  evidenceTitle: 'what each vantage point saw',
  read: (context) => context.vantageObservations(),
  judge: judgeAllowlist,
});

/** network.no-banner: denied vantage points hear not one byte from the server. */
export const noBanner = defineCheck({
  id: 'network.no-banner',
  evidenceTitle: 'what each vantage point saw',
  read: (context) => context.vantageObservations(),
  judge: judgeNoBanner,
});

/**
 * network.private-endpoint: the host name resolves to private addresses only, and, when the target
 * declares its Azure resource, those come from an approved private endpoint (or VNet integration).
 */
export const privateEndpoint = defineCheck<PrivateEndpointEvidence>({
  id: 'network.private-endpoint',
  evidenceTitle: 'every answer for the host name, and the private endpoint connections Azure lists',
  async read(context) {
    const [resolution, azure] = await Promise.all([context.resolution(), privateLink(context)]);
    return azure ? { ...resolution, azure } : resolution;
  },
  judge: judgePrivateEndpoint,
});

/**
 * The server's private endpoint connections from its ARM resource (the read every plane check
 * shares). A plane that cannot be read, credentials missing included, is evidence of its own: the
 * answers may still show a public address, which fails the control whatever Azure would say.
 */
async function privateLink(context: TargetContext): Promise<PrivateLinkEvidence | undefined> {
  if (!context.target.azure?.resourceId) return undefined;
  try {
    const server = await serverFacts(context);
    return { plane: server.plane, server: server.name, delegatedSubnetResourceId: server.delegatedSubnetResourceId, connections: server.privateEndpointConnections };
  } catch (error) {
    return { unreadable: error instanceof CannotObserve || error instanceof NothingToJudge ? error.message : shortReason(error) };
  }
}
