import { CannotObserve, NothingToJudge } from '../check.js';
import type { TargetContext } from '../target-context.js';
import { keyClient, keyVaultManagementClient } from './plane-clients.js';
import { listAll, planeRead, ROLES } from './plane-errors.js';
import { planeSession, type PlaneSession } from './plane-session.js';
import { serverFacts, type ServerFacts } from './server-facts.js';
import { diagnosticSettingsOf, type DiagnosticSettingFacts } from './diagnostic-settings.js';
import { armList } from './arm-get.js';

/** The key named by the server's dataEncryption, as Key Vault's data plane returned it. */
export interface KeyFacts {
  keyUri: string;
  vaultUrl: string;
  name: string;
  /** The version the server uses; undefined when its key URI is versionless (it follows the latest). */
  serverVersion?: string;
  /** The key's current (latest) version. */
  currentVersion?: string;
  keyType?: string;
  /** From the RSA modulus. */
  sizeBits?: number;
  enabled?: boolean;
  notBefore?: string;
  expiresOn?: string;
  recoveryLevel?: string;
  recoverableDays?: number;
  rotationPolicy?: { actions: Array<{ action: string; timeAfterCreate?: string; timeBeforeExpiry?: string }>; expiresIn?: string };
  /** Whether the key's host lies under the cloud's Key Vault DNS suffix (a Managed HSM or stand-in host does not). */
  underKeyVaultSuffix: boolean;
}

export interface VaultFacts {
  id: string;
  name: string;
  location?: string;
  tenantId?: string;
  enableSoftDelete?: boolean;
  softDeleteRetentionInDays?: number;
  enablePurgeProtection?: boolean;
  enableRbacAuthorization?: boolean;
  /** `applicationId` set makes a compound identity: the permissions hold only for that application acting for the object, never for the object alone. */
  accessPolicies: Array<{ objectId: string; tenantId?: string; applicationId?: string; keys: string[] }>;
  /** For a vault using Azure RBAC: the role assignments of the server's identity at, above or below the vault. */
  roleAssignments?: RoleAssignmentFacts[];
}

export interface RoleAssignmentFacts {
  roleDefinitionId: string;
  /** Where the role applies: the vault, something above it, or one key below it; undefined when ARM did not say. */
  scope?: string;
  /** The group (or other principal) the assignment names, when it is not the identity itself. */
  through?: string;
  /** An ABAC condition that narrows the role (e.g. to some keys only). */
  condition?: string;
}

/** Everything the customer-managed-key controls judge, read once per run. */
export interface CmkFacts {
  plane: string;
  server: Pick<ServerFacts, 'id' | 'name' | 'location' | 'dataEncryption' | 'identity'>;
  /** The principal (object id) of the identity the server uses for the key. */
  identityPrincipalId?: string;
  key: KeyFacts;
  vault: VaultFacts;
  /** With geo-redundant backup: the key that encrypts the copies in the paired region, its vault, and the principal of the identity that reaches it. */
  geoBackup?: { key: KeyFacts; vault: VaultFacts; identityPrincipalId?: string };
}

/**
 * The server's customer-managed key, its vault and the vault's audit settings. Without a key
 * configured there is nothing for the key controls to judge (rest.cmk-configured judges that).
 */
export function cmkFacts(context: TargetContext): Promise<CmkFacts> {
  return context.once('plane:cmk', async () => {
    const session = await planeSession(context);
    const server = await serverFacts(context);
    const encryption = server.dataEncryption;
    if (encryption?.type?.toLowerCase() !== 'azurekeyvault' || !encryption.primaryKeyUri) {
      throw new NothingToJudge(`${server.name} uses no customer-managed key (data encryption ${encryption?.type ?? 'not reported'}): there is no key to judge; rest.cmk-configured judges whether one is required`);
    }
    const principalOf = (identityId: string | undefined) => Object.entries(server.identity?.userAssigned ?? {}).find(([id]) => id.toLowerCase() === identityId?.toLowerCase())?.[1].principalId;
    const readKeyAndVault = async (keyUri: string, principalId: string | undefined) => {
      const key = await readKey(session, keyUri);
      const vault = await findVault(session, key.vaultUrl);
      if (vault.enableRbacAuthorization && principalId) vault.roleAssignments = await roleAssignmentsOn(session, vault.id, principalId);
      return { key, vault };
    };
    const identityPrincipalId = principalOf(encryption.primaryIdentityId);
    const { key, vault } = await readKeyAndVault(encryption.primaryKeyUri, identityPrincipalId);
    // The geo-backup key is judged like the primary one: a weak key there leaves the paired region's copies weak.
    const geoKeyUri = encryption.geoBackupKeyUri;
    // Geo-redundant backup keeps copies under a key of their own; one ARM does not name cannot be judged, so no key control may pass on the primary alone.
    if (!geoKeyUri && server.geoRedundantBackup?.toLowerCase() === 'enabled') {
      throw new CannotObserve(`${server.name} keeps geo-redundant backups, but ARM names no geo-backup key for them: the key that protects the paired region's copies cannot be judged`);
    }
    const geoPrincipalId = principalOf(encryption.geoBackupIdentityId);
    const geoBackup = geoKeyUri ? { ...(await readKeyAndVault(geoKeyUri, geoPrincipalId)), identityPrincipalId: geoPrincipalId } : undefined;
    return {
      plane: session.cloud.label,
      server: { id: server.id, name: server.name, location: server.location, dataEncryption: encryption, identity: server.identity },
      identityPrincipalId,
      key,
      vault,
      ...(geoBackup ? { geoBackup } : {}),
    };
  });
}

/** The diagnostic settings of the key's vault (rest.cmk-vault-audited). */
export function vaultDiagnosticSettings(context: TargetContext): Promise<DiagnosticSettingFacts[]> {
  return context.once('plane:vault-diagnostics', async () => {
    const session = await planeSession(context);
    const { vault } = await cmkFacts(context);
    return diagnosticSettingsOf(session, vault.id, `the diagnostic settings of the vault ${vault.name}`);
  });
}

/** The diagnostic settings of the geo-backup key's vault, when it is another vault than the primary key's; undefined otherwise. */
export function geoVaultDiagnosticSettings(context: TargetContext): Promise<DiagnosticSettingFacts[] | undefined> {
  return context.once('plane:geo-vault-diagnostics', async () => {
    const session = await planeSession(context);
    const { vault, geoBackup } = await cmkFacts(context);
    if (!geoBackup || geoBackup.vault.id.toLowerCase() === vault.id.toLowerCase()) return undefined;
    return diagnosticSettingsOf(session, geoBackup.vault.id, `the diagnostic settings of the geo-backup vault ${geoBackup.vault.name}`);
  });
}

const KEY_URI = /^(https:\/\/[^/]+)\/keys\/([^/]+)(?:\/([^/?#]*))?\/?$/i;

export async function readKey(session: PlaneSession, keyUri: string): Promise<KeyFacts> {
  const match = KEY_URI.exec(keyUri);
  if (!match) throw new CannotObserve(`the server's key URI "${keyUri}" is not a Key Vault key identifier`);
  const [, vaultUrl, name, version] = match;
  const client = await keyClient(session, vaultUrl);
  const what = `the key ${name} in ${vaultUrl}`;
  const used = await planeRead(session, what, ROLES.keyReader, (abortSignal) => client.getKey(name, { version: version || undefined, abortSignal }), true);
  if (!used) throw new CannotObserve(`${session.cloud.label} has no ${what}${version ? ` version ${version}` : ''} (HTTP 404): the server cannot use it either`);
  const latest = version ? await planeRead(session, `the current version of ${what}`, ROLES.keyReader, (abortSignal) => client.getKey(name, { abortSignal })) : used;
  const policy = await planeRead(session, `the rotation policy of ${what}`, ROLES.keyReader, (abortSignal) => client.getKeyRotationPolicy(name, { abortSignal }), true);
  const modulus = used.key?.n;
  return {
    keyUri,
    vaultUrl,
    name,
    serverVersion: version || undefined,
    currentVersion: latest?.properties.version,
    keyType: used.keyType ?? used.key?.kty,
    sizeBits: modulus ? modulusBits(modulus) : undefined,
    enabled: used.properties.enabled,
    notBefore: used.properties.notBefore?.toISOString(),
    expiresOn: used.properties.expiresOn?.toISOString(),
    recoveryLevel: used.properties.recoveryLevel,
    recoverableDays: used.properties.recoverableDays,
    rotationPolicy: policy ? { actions: (policy.lifetimeActions ?? []).map((each) => ({ action: each.action, timeAfterCreate: each.timeAfterCreate, timeBeforeExpiry: each.timeBeforeExpiry })), expiresIn: policy.expiresIn } : undefined,
    underKeyVaultSuffix: new URL(vaultUrl).hostname.toLowerCase().endsWith(`.${session.cloud.keyVaultDnsSuffix.toLowerCase()}`),
  };
}

function modulusBits(modulus: Uint8Array): number {
  let start = 0;
  while (start < modulus.length && modulus[start] === 0) start++;
  if (start === modulus.length) return 0;
  return (modulus.length - start) * 8 - Math.clz32(modulus[start]) + 24;
}

/** The ARM vault whose URI is the key's vault URL, searched in the server's subscription. */
async function findVault(session: PlaneSession, vaultUrl: string): Promise<VaultFacts> {
  const client = await keyVaultManagementClient(session, session.server.subscriptionId);
  const wanted = origin(vaultUrl);
  const vaults = await planeRead(session, `the key vaults of subscription ${session.server.subscriptionId}`, ROLES.vaultReader, (abortSignal) => listAll(client.vaults.listBySubscription({ abortSignal })));
  const listed = (vaults ?? []).find((vault) => vault.properties?.vaultUri && origin(vault.properties.vaultUri) === wanted);
  if (!listed?.id || !listed.name) throw new CannotObserve(`no key vault in subscription ${session.server.subscriptionId} has the URI ${vaultUrl}: the vault lies elsewhere, and its protection cannot be read`);
  const group = /\/resourceGroups\/([^/]+)\//i.exec(listed.id)?.[1];
  const vault = group ? ((await planeRead(session, `the key vault ${listed.name}`, ROLES.vaultReader, (abortSignal) => client.vaults.get(group, listed.name!, { abortSignal }))) ?? listed) : listed;
  const properties = vault.properties;
  return {
    id: vault.id ?? listed.id,
    name: vault.name ?? listed.name,
    location: vault.location,
    tenantId: properties?.tenantId,
    enableSoftDelete: properties?.enableSoftDelete,
    softDeleteRetentionInDays: properties?.softDeleteRetentionInDays,
    enablePurgeProtection: properties?.enablePurgeProtection,
    enableRbacAuthorization: properties?.enableRbacAuthorization,
    accessPolicies: (properties?.accessPolicies ?? []).map((policy) => ({ objectId: policy.objectId, tenantId: policy.tenantId, ...(policy.applicationId ? { applicationId: policy.applicationId } : {}), keys: (policy.permissions?.keys ?? []).map(String) })),
  };
}

/**
 * Role assignments of `principalId`, directly or through a group it is in (`assignedTo`), at, above
 * or below the vault: every page of them. The scope and any condition of each are kept, for the
 * judge to tell which of them reach the key.
 */
async function roleAssignmentsOn(session: PlaneSession, vaultId: string, principalId: string): Promise<RoleAssignmentFacts[]> {
  const filter = encodeURIComponent(`assignedTo('${principalId}')`);
  const found = await armList<{ properties?: { roleDefinitionId?: string; scope?: string; principalId?: string; principalType?: string; condition?: string | null } }>(
    session,
    `${vaultId}/providers/Microsoft.Authorization/roleAssignments?$filter=${filter}`,
    ROLE_ASSIGNMENTS_API,
    `the role assignments on the vault ${vaultId.split('/').pop()}`,
    ROLES.roleReader,
  );
  // The service filtered by assignedTo: an assignment to a group holding the identity names the group, and counts too.
  return found
    .filter((assignment) => assignment.properties?.roleDefinitionId)
    .map(({ properties }) => ({
      roleDefinitionId: properties!.roleDefinitionId!,
      scope: properties!.scope,
      ...(properties!.principalId && properties!.principalId.toLowerCase() !== principalId.toLowerCase() ? { through: `${properties!.principalType ?? 'principal'} ${properties!.principalId}` } : {}),
      ...(properties!.condition ? { condition: properties!.condition } : {}),
    }));
}

const ROLE_ASSIGNMENTS_API = '2022-04-01';

function origin(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname.toLowerCase()}${parsed.port && parsed.port !== '443' ? `:${parsed.port}` : ''}`;
}
