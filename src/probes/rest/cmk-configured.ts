import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { serverFacts, type ServerFacts } from '../plane/server-facts.js';

export interface CmkConfiguredEvidence {
  plane: string;
  server: string;
  dataEncryption?: ServerFacts['dataEncryption'];
  identityType?: string;
  userAssignedIdentities: string[];
  /** As ARM reports it: with geo-redundant backup on, the backup copies need a customer-managed key of their own. */
  geoRedundantBackup?: string;
  /** The server's state as ARM reports it: "Inaccessible" when it cannot reach its key. */
  serverState?: string;
}

export function judgeCmkConfigured(evidence: CmkConfiguredEvidence): Judgement {
  const where = `${evidence.server} on ${evidence.plane}`;
  const type = evidence.dataEncryption?.type;
  if (type === undefined) return undecided(`${where} reports no dataEncryption: the encryption key cannot be told`);
  if (type.toLowerCase() === 'systemmanaged') return failed(`${where} encrypts at rest with a service-managed key (dataEncryption ${type}), not a customer-managed one`);
  if (type.toLowerCase() !== 'azurekeyvault') return undecided(`dataEncryption type "${type}" on ${where} is a value this check does not know`);
  const identity = evidence.dataEncryption?.primaryIdentityId;
  if (!evidence.dataEncryption?.primaryKeyUri) return failed(`${where} names Azure Key Vault encryption but no key URI`);
  // Naming a key is not using it: a server that cannot reach its key (access revoked, the key
  // deleted or disabled) is Inaccessible, whatever key status, if any, the same answer carries.
  if (evidence.serverState?.toLowerCase() === 'inaccessible') {
    return failed(`${where} names the key ${evidence.dataEncryption.primaryKeyUri}, but Azure reports the server Inaccessible: it cannot reach its customer-managed key, so its data cannot be read (key status ${evidence.dataEncryption.keyStatus ?? 'not reported'})`);
  }
  if (!identity) return failed(`${where} uses the key ${evidence.dataEncryption.primaryKeyUri} with no user-assigned identity named to reach it`);
  if (!evidence.userAssignedIdentities.some((id) => id.toLowerCase() === identity.toLowerCase())) {
    return failed(`${where} names ${identity} for its key, but that identity is not assigned to the server (assigned: ${evidence.userAssignedIdentities.join(', ') || 'none'})`);
  }
  const status = evidence.dataEncryption.keyStatus;
  if (status && status.toLowerCase() !== 'valid') return failed(`${where} uses the key ${evidence.dataEncryption.primaryKeyUri}, but Azure reports its status as ${status}`);
  const geo = judgeGeoBackupKey(evidence, where);
  if (geo.judgement) return geo.judgement;
  return passed(`${where} encrypts with the customer-managed key ${evidence.dataEncryption.primaryKeyUri} through the user-assigned identity ${identity.split('/').pop()}${status ? ` (key status ${status})` : ''}${geo.covered}`);
}

/**
 * With geo-redundant backup on, the copies in the paired region are encrypted with a key of their
 * own (geoBackupKeyURI, through geoBackupUserAssignedIdentityId): the server is under the
 * customer's key only if they are too. A failing verdict, or what the pass covered.
 */
function judgeGeoBackupKey(evidence: CmkConfiguredEvidence, where: string): { judgement?: Judgement; covered: string } {
  const geo = evidence.geoRedundantBackup;
  if (geo?.toLowerCase() !== 'enabled') return { covered: `; geo-redundant backup ${geo ?? 'not reported'}, so no geo-backup key is needed` };
  const key = evidence.dataEncryption?.geoBackupKeyUri;
  const identity = evidence.dataEncryption?.geoBackupIdentityId;
  const status = evidence.dataEncryption?.geoBackupKeyStatus;
  if (!key) return { judgement: undecided(`${where} keeps geo-redundant backups but reports no geo-backup key (geoBackupKeyURI): whether the copies in the paired region are under a customer-managed key cannot be told`), covered: '' };
  if (!identity) return { judgement: failed(`${where} encrypts its geo-redundant backups with ${key} but names no user-assigned identity to reach it`), covered: '' };
  if (!evidence.userAssignedIdentities.some((id) => id.toLowerCase() === identity.toLowerCase())) {
    return { judgement: failed(`${where} names ${identity} for its geo-backup key, but that identity is not assigned to the server (assigned: ${evidence.userAssignedIdentities.join(', ') || 'none'})`), covered: '' };
  }
  if (status && status.toLowerCase() !== 'valid') return { judgement: failed(`${where} encrypts its geo-redundant backups with ${key}, but Azure reports that key's status as ${status}: the copies in the paired region cannot be restored`), covered: '' };
  return { covered: `; its geo-redundant backups with ${key} through ${identity.split('/').pop()}${status ? ` (key status ${status})` : ''}` };
}

export const cmkConfiguredCheck = defineCheck<CmkConfiguredEvidence>({
  id: 'rest.cmk-configured',
  evidenceTitle: 'data encryption and identity, as Azure Resource Manager reports them',
  async read(context) {
    const server = await serverFacts(context);
    return { plane: server.plane, server: server.name, dataEncryption: server.dataEncryption, identityType: server.identity?.type, userAssignedIdentities: Object.keys(server.identity?.userAssigned ?? {}), geoRedundantBackup: server.geoRedundantBackup, serverState: server.state };
  },
  judge: judgeCmkConfigured,
});
