import type { ControlId } from '../../controls/catalogue.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { CmkFacts, RoleAssignmentFacts } from '../plane/cmk-facts.js';
import { sameRegion } from '../backup/read-replica.js';

/**
 * Seed 001's requirements for a customer-managed key, point by point, each with what was observed
 * and whether it holds (undefined: could not be told). Every point belongs to exactly one control,
 * so one defect fails one control; the evidence of each of the three shows all points.
 */
export interface RequirementPoint {
  point: string;
  requirement: string;
  observed: string;
  holds: boolean | undefined;
  judgedBy: ControlId;
}

export interface CmkRequirementsEvidence {
  plane: string;
  server: string;
  key: string;
  /** The geo-backup key, when the server has one: its points are named "geo-backup key: ...". */
  geoBackupKey?: string;
  vault: string;
  /** When the facts were read: the activation date is judged against it, so the judge stays pure. */
  observedAt: string;
  points: RequirementPoint[];
}

const KEY = 'rest.cmk-key-requirements';
const VAULT = 'rest.cmk-vault-protection';
const IDENTITY = 'rest.cmk-identity-permissions';
const KEY_TYPES = ['RSA', 'RSA-HSM'];
const KEY_SIZES = [2048, 3072, 4096];
/** Recoverable = soft delete with purge protection; +ProtectedSubscription adds a subscription lock. "+Purgeable" and "Customized…" (under 90 days) do not meet seed 001. */
const RECOVERY_LEVELS = ['Recoverable', 'Recoverable+ProtectedSubscription'];
export const IDENTITY_KEY_PERMISSIONS = ['get', 'list', 'wrapKey', 'unwrapKey'];
const RETENTION_DAYS = 90;
const ALL_KEY_PERMISSIONS = ['get', 'list', 'create', 'update', 'import', 'delete', 'recover', 'backup', 'restore', 'purge', 'encrypt', 'decrypt', 'wrapkey', 'unwrapkey', 'sign', 'verify', 'rotate', 'getrotationpolicy', 'setrotationpolicy', 'release'];

/**
 * Built-in Azure roles by role definition id, with the key permissions their data actions amount
 * to (keys/read = get and list). Reader has no data actions and grants none; any other role
 * (custom roles, Owner, Key Vault Reader) is not expanded, and leaves the points it could affect undecided.
 */
const KEY_ROLES: Record<string, { name: string; keys: string[] }> = {
  'e147488a-f6f5-4113-8e2d-b22465e65bf6': { name: 'Key Vault Crypto Service Encryption User', keys: ['get', 'list', 'wrapkey', 'unwrapkey'] },
  '12338af0-0e69-4776-bea7-57ae8d297424': { name: 'Key Vault Crypto User', keys: ['get', 'list', 'update', 'backup', 'encrypt', 'decrypt', 'wrapkey', 'unwrapkey', 'sign', 'verify'] },
  '14b46e9e-c2b7-41b4-b07b-48a6ebf60603': { name: 'Key Vault Crypto Officer', keys: ALL_KEY_PERMISSIONS },
  '00482a5a-887f-4fb3-b363-3b7fe8e74483': { name: 'Key Vault Administrator', keys: ALL_KEY_PERMISSIONS },
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': { name: 'Reader', keys: [] },
};

const shown = (value: unknown) => (value === undefined ? 'not reported' : String(value));

/**
 * The points for the server's key and, with geo-redundant backup, for its geo-backup key too
 * (named "geo-backup key: ..."): the copies in the paired region are only as safe as that key.
 */
export function cmkRequirementPoints(facts: CmkFacts, observedAt: Date): CmkRequirementsEvidence {
  const points: RequirementPoint[] = [];
  addKeyPoints(points, facts, { key: facts.key, vault: facts.vault, principal: facts.identityPrincipalId, label: '', inServerRegion: true }, observedAt);
  if (facts.geoBackup) {
    // Its vault belongs in the paired region, not the server's: this check knows no region pairs, so it judges no region for it.
    addKeyPoints(points, facts, { key: facts.geoBackup.key, vault: facts.geoBackup.vault, principal: facts.geoBackup.identityPrincipalId, label: 'geo-backup key: ', inServerRegion: false }, observedAt);
  }
  return {
    plane: facts.plane,
    server: facts.server.name,
    key: facts.key.keyUri,
    ...(facts.geoBackup ? { geoBackupKey: facts.geoBackup.key.keyUri } : {}),
    vault: facts.vault.name,
    observedAt: observedAt.toISOString(),
    points,
  };
}

interface KeySubject {
  key: CmkFacts['key'];
  vault: CmkFacts['vault'];
  principal?: string;
  /** Prefixed to every point's name: '' for the server's key, 'geo-backup key: ' for the other. */
  label: string;
  /** Whether the vault must be in the server's region (the primary key's) or elsewhere (the geo-backup key's, in the paired region). */
  inServerRegion: boolean;
}

function addKeyPoints(points: RequirementPoint[], facts: CmkFacts, subject: KeySubject, observedAt: Date): void {
  const { key, vault, label } = subject;
  const add = (judgedBy: ControlId, point: string, requirement: string, observed: string, holds: boolean | undefined) => points.push({ point: `${label}${point}`, requirement, observed, holds, judgedBy });

  add(KEY, 'key type', 'RSA or RSA-HSM', shown(key.keyType), key.keyType === undefined ? undefined : KEY_TYPES.includes(key.keyType.toUpperCase()));
  add(KEY, 'key size', '2048, 3072 or 4096 bits', key.sizeBits === undefined ? 'not reported' : `${key.sizeBits} bits`, key.sizeBits === undefined ? undefined : KEY_SIZES.includes(key.sizeBits));
  add(KEY, 'enabled', 'the key is enabled', shown(key.enabled), key.enabled === undefined ? undefined : key.enabled);
  add(KEY, 'activation date', 'unset, or in the past', key.notBefore ?? 'unset', key.notBefore === undefined ? true : Date.parse(key.notBefore) <= observedAt.getTime());
  add(KEY, 'expiry date', 'unset (an expired key makes the server inaccessible)', key.expiresOn ?? 'unset', key.expiresOn === undefined);
  add(KEY, 'recovery level', RECOVERY_LEVELS.join(' or '), shown(key.recoveryLevel), key.recoveryLevel === undefined ? undefined : RECOVERY_LEVELS.includes(key.recoveryLevel));

  const softDeleteFromKey = key.recoveryLevel?.startsWith('Recoverable') || key.recoveryLevel?.startsWith('CustomizedRecoverable');
  add(VAULT, 'soft delete', 'on', vault.enableSoftDelete === undefined ? `not reported by the vault; the key's recovery level is ${shown(key.recoveryLevel)}` : String(vault.enableSoftDelete),
    vault.enableSoftDelete ?? (softDeleteFromKey ? true : undefined));
  const retention = vault.softDeleteRetentionInDays ?? key.recoverableDays;
  add(VAULT, 'soft-delete retention', `${RETENTION_DAYS} days`, retention === undefined ? 'not reported' : `${retention} days${vault.softDeleteRetentionInDays === undefined ? " (the key's recoverable days)" : ''}`,
    retention === undefined ? undefined : retention === RETENTION_DAYS);
  add(VAULT, 'purge protection', 'on', vault.enablePurgeProtection === undefined ? 'absent (off)' : String(vault.enablePurgeProtection), vault.enablePurgeProtection === true);
  const serverTenant = facts.server.identity?.tenantId;
  add(VAULT, 'same tenant', `the vault's tenant is the server's (${shown(serverTenant)})`, shown(vault.tenantId),
    vault.tenantId === undefined || serverTenant === undefined ? undefined : vault.tenantId.toLowerCase() === serverTenant.toLowerCase());
  if (subject.inServerRegion) {
    add(VAULT, 'same region', `the vault is in the server's region (${shown(facts.server.location)})`, shown(vault.location),
      vault.location === undefined || facts.server.location === undefined ? undefined : sameRegion(vault.location, facts.server.location));
  }

  const principal = subject.principal;
  const needed = IDENTITY_KEY_PERMISSIONS.map((permission) => permission.toLowerCase());
  const judgeGrants = (granted: string[], grantedText: string, unknownRoles: string[]) => {
    for (const permission of IDENTITY_KEY_PERMISSIONS) {
      const holds = granted.includes(permission.toLowerCase()) ? true : unknownRoles.length ? undefined : false;
      add(IDENTITY, `identity may ${permission}`, `the identity ${principal} holds keys/${permission}`, grantedText, holds);
    }
    const extra = [...new Set(granted.filter((each) => !needed.includes(each)))];
    add(IDENTITY, 'nothing more', 'no key permission beyond get, list, wrapKey and unwrapKey',
      extra.length ? `also granted: ${extra.join(', ')} (${grantedText})` : unknownRoles.length ? `roles this check cannot expand: ${unknownRoles.join(', ')}` : 'none beyond',
      extra.length ? false : unknownRoles.length ? undefined : true);
  };
  if (!principal) {
    for (const permission of IDENTITY_KEY_PERMISSIONS) add(IDENTITY, `identity may ${permission}`, `the server's identity holds keys/${permission}`, "the server's identity has no principal id in ARM's answer", undefined);
  } else if (vault.enableRbacAuthorization) {
    if (!vault.roleAssignments) {
      for (const permission of IDENTITY_KEY_PERMISSIONS) add(IDENTITY, `identity may ${permission}`, `the server's identity holds keys/${permission}`, 'the vault uses Azure RBAC and its role assignments were not read', undefined);
    } else {
      // Only an assignment at the key, the vault or above reaches the key; one on another key does not.
      const keyScope = `${vault.id}/keys/${key.name}`;
      const reaching = vault.roleAssignments.filter((assignment) => assignment.scope !== undefined && scopeReaches(assignment.scope, keyScope));
      const elsewhere = vault.roleAssignments.filter((assignment) => assignment.scope !== undefined && !scopeReaches(assignment.scope, keyScope));
      const unscoped = vault.roleAssignments.filter((assignment) => assignment.scope === undefined);
      const roleOf = (assignment: RoleAssignmentFacts) => assignment.roleDefinitionId.split('/').pop()!.toLowerCase();
      const nameOf = (assignment: RoleAssignmentFacts) => `${KEY_ROLES[roleOf(assignment)]?.name ?? roleOf(assignment)}${assignment.through ? ` through ${assignment.through}` : ''}`;
      // A condition can narrow a role to some keys or operations, which this check cannot evaluate: such a role counts as unknown.
      const expandable = reaching.filter((assignment) => KEY_ROLES[roleOf(assignment)] && !assignment.condition);
      const unknownRoles = [
        ...reaching.filter((assignment) => !KEY_ROLES[roleOf(assignment)] && !assignment.condition).map(nameOf),
        ...reaching.filter((assignment) => assignment.condition).map((assignment) => `${nameOf(assignment)} (with a condition)`),
        ...unscoped.map((assignment) => `${nameOf(assignment)} (scope not reported)`),
      ];
      const granted = [...new Set(expandable.flatMap((assignment) => KEY_ROLES[roleOf(assignment)].keys))];
      const reachingText = reaching.length || unscoped.length ? `Azure RBAC roles on the vault: ${[...expandable.map(nameOf), ...unknownRoles].join(', ')}` : 'Azure RBAC: no role assignment of the identity covers the vault';
      const elsewhereText = elsewhere.length ? ` (not reaching the key: ${elsewhere.map((assignment) => `${nameOf(assignment)} at ${assignment.scope}`).join(', ')})` : '';
      judgeGrants(granted, `${reachingText}${elsewhereText}`, unknownRoles);
    }
  } else {
    const mine = vault.accessPolicies.filter((policy) => policy.objectId.toLowerCase() === principal.toLowerCase());
    // A compound policy (with an applicationId) grants only that application acting for the identity: the server, acting as itself, gets none of it.
    const own = mine.filter((policy) => !policy.applicationId);
    const compound = mine.filter((policy) => policy.applicationId);
    const granted = own.flatMap((policy) => policy.keys.map((each) => each.toLowerCase()));
    const compoundText = compound.length ? ` (not counted: ${compound.map((policy) => `keys ${policy.keys.join(', ')} only for application ${policy.applicationId} acting for the identity`).join('; ')})` : '';
    judgeGrants(granted, `${granted.length ? `access policy grants: ${[...new Set(granted)].join(', ')}` : 'no access policy for the identity'}${compoundText}`, []);
  }
}

/**
 * Whether a role assigned at `scope` applies to `resource`: the same, or an ancestor of it (ARM ids
 * compare case-insensitively, segment by segment). A management group's id is no prefix of the
 * resources under it; the assignments judged here are listed at the vault's scope, where ARM
 * returns a management group's only when the vault lies under it, so such a scope reaches.
 */
export function scopeReaches(scope: string, resource: string): boolean {
  const normal = (id: string) => id.toLowerCase().replace(/\/+$/, '');
  const above = normal(scope);
  if (above.startsWith('/providers/microsoft.management/managementgroups/')) return true;
  return above === '' || normal(resource) === above || normal(resource).startsWith(`${above}/`);
}

/** The verdict on the points one control owns: any false fails, any unknown leaves it undecided, all true pass. */
export function judgePoints(evidence: CmkRequirementsEvidence, control: ControlId, subject: string): Judgement {
  const mine = evidence.points.filter((point) => point.judgedBy === control);
  const line = (point: RequirementPoint) => `${point.point}: ${point.observed} (needs ${point.requirement})`;
  const keys = evidence.geoBackupKey ? `${evidence.key} and the geo-backup key ${evidence.geoBackupKey}` : evidence.key;
  if (mine.length === 0) return undecided(`no ${subject} requirement could be evaluated`);
  const broken = mine.filter((point) => point.holds === false);
  if (broken.length > 0) return failed(`${broken.length} of ${mine.length} ${subject} requirements fail for ${keys}: ${broken.map(line).join('; ')}`);
  const unknown = mine.filter((point) => point.holds === undefined);
  if (unknown.length > 0) return undecided(`${unknown.length} of ${mine.length} ${subject} requirements could not be told for ${keys}: ${unknown.map(line).join('; ')}`);
  return passed(`all ${mine.length} ${subject} requirements hold for ${keys} (vault ${evidence.vault}, ${evidence.plane}): ${mine.map((point) => `${point.point}: ${point.observed}`).join('; ')}`);
}
