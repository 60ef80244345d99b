import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { serverFacts } from '../plane/server-facts.js';

export interface PublicAccessEvidence {
  plane: string;
  server: string;
  /** As ARM returned it: "Enabled", "Disabled", or absent. */
  publicNetworkAccess?: string;
}

export function judgePublicAccess(evidence: PublicAccessEvidence): Judgement {
  const value = evidence.publicNetworkAccess;
  const where = `${evidence.server} on ${evidence.plane}`;
  if (value === undefined) return undecided(`${where} reports no publicNetworkAccess: whether the server is reachable from the internet cannot be told`);
  if (value.toLowerCase() === 'disabled') return passed(`publicNetworkAccess is ${value} on ${where}: the server is reachable only through private access`);
  if (value.toLowerCase() === 'enabled') return failed(`publicNetworkAccess is ${value} on ${where}: the server accepts connections from the internet, filtered only by its firewall rules`);
  return undecided(`publicNetworkAccess is "${value}" on ${where}, a value this check does not know`);
}

export const publicAccessDisabledCheck = defineCheck<PublicAccessEvidence>({
  id: 'network.public-access-disabled',
  evidenceTitle: 'public network access, as Azure Resource Manager reports it',
  async read(context) {
    const server = await serverFacts(context);
    return { plane: server.plane, server: server.name, publicNetworkAccess: server.publicNetworkAccess };
  },
  judge: judgePublicAccess,
});
