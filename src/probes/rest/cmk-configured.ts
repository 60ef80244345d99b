import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { serverFacts, type ServerFacts } from '../plane/server-facts.js';

export interface CmkConfiguredEvidence {
  plane: string;
  server: string;
  dataEncryption?: ServerFacts['dataEncryption'];
  identityType?: string;
  userAssignedIdentities: string[];
}

export function judgeCmkConfigured(evidence: CmkConfiguredEvidence): Judgement {
  const where = `${evidence.server} on ${evidence.plane}`;
  const type = evidence.dataEncryption?.type;
  if (type === undefined) return undecided(`${where} reports no dataEncryption: the encryption key cannot be told`);
  if (type.toLowerCase() === 'systemmanaged') return failed(`${where} encrypts at rest with a service-managed key (dataEncryption ${type}), not a customer-managed one`);
  if (type.toLowerCase() !== 'azurekeyvault') return undecided(`dataEncryption type "${type}" on ${where} is a value this check does not know`);
  const identity = evidence.dataEncryption?.primaryIdentityId;
  if (!evidence.dataEncryption?.primaryKeyUri) return failed(`${where} names Azure Key Vault encryption but no key URI`);
  if (!identity) return failed(`${where} uses the key ${evidence.dataEncryption.primaryKeyUri} with no user-assigned identity named to reach it`);
  if (!evidence.userAssignedIdentities.some((id) => id.toLowerCase() === identity.toLowerCase())) {
    return failed(`${where} names ${identity} for its key, but that identity is not assigned to the server (assigned: ${evidence.userAssignedIdentities.join(', ') || 'none'})`);
  }
  const status = evidence.dataEncryption.keyStatus;
  if (status && status.toLowerCase() !== 'valid') return failed(`${where} uses the key ${evidence.dataEncryption.primaryKeyUri}, but Azure reports its status as ${status}`);
  return passed(`${where} encrypts with the customer-managed key ${evidence.dataEncryption.primaryKeyUri} through the user-assigned identity ${identity.split('/').pop()}${status ? ` (key status ${status})` : ''}`);
}

export const cmkConfiguredCheck = defineCheck<CmkConfiguredEvidence>({
  id: 'rest.cmk-configured',
  evidenceTitle: 'data encryption and identity, as Azure Resource Manager reports them',
  async read(context) {
    const server = await serverFacts(context);
    return { plane: server.plane, server: server.name, dataEncryption: server.dataEncryption, identityType: server.identity?.type, userAssignedIdentities: Object.keys(server.identity?.userAssigned ?? {}) };
  },
  judge: judgeCmkConfigured,
});
