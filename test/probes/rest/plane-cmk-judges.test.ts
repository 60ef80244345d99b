import type { ControlId } from '../../../src/controls/catalogue.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeCmkConfigured } from '../../../src/probes/rest/cmk-configured.js';
import { cmkRequirementPoints, judgePoints } from '../../../src/probes/rest/cmk-requirement-points.js';
import { judgeCmkRotation } from '../../../src/probes/rest/cmk-rotation.js';
import { judgeVaultAudited } from '../../../src/probes/rest/cmk-vault-audited.js';
import type { CmkFacts } from '../../../src/probes/plane/cmk-facts.js';

const IDENTITY = '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id';
const NOW = new Date('2026-06-01T00:00:00Z');
const VAULT_ID = '/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v';

function facts(change: (facts: CmkFacts) => void = () => {}): CmkFacts {
  const value: CmkFacts = {
    plane: 'Azure stand-in',
    server: { id: 'x', name: 'srv', location: 'East US', identity: { tenantId: 'T', userAssigned: { [IDENTITY]: { principalId: 'P' } } } },
    identityPrincipalId: 'P',
    key: { keyUri: 'https://v.vault.azure.net/keys/k', vaultUrl: 'https://v.vault.azure.net', name: 'k', keyType: 'RSA', sizeBits: 2048, enabled: true, recoveryLevel: 'Recoverable', recoverableDays: 90, underKeyVaultSuffix: true },
    vault: { id: VAULT_ID, name: 'v', location: 'eastus', tenantId: 't', enableSoftDelete: true, softDeleteRetentionInDays: 90, enablePurgeProtection: true, accessPolicies: [{ objectId: 'p', keys: ['Get', 'List', 'WrapKey', 'UnwrapKey'] }] },
  };
  change(value);
  return value;
}

const CSEU = '/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6';
const ADMIN = '/providers/Microsoft.Authorization/roleDefinitions/00482a5a-887f-4fb3-b363-3b7fe8e74483';
const rbac = (f: CmkFacts, assignments: NonNullable<CmkFacts['vault']['roleAssignments']>) => {
  f.vault.enableRbacAuthorization = true;
  f.vault.roleAssignments = assignments;
};

const judge = (value: CmkFacts, control: ControlId) => judgePoints(cmkRequirementPoints(value, NOW), control, 'x');

test('rest.cmk-key-requirements judge: seed 001 point by point (type, size, enabled, activation, expiry, recovery level)', () => {
  const table: Array<[string, (facts: CmkFacts) => void, string, RegExp]> = [
    ['compliant', () => {}, 'passed', /all 6/],
    ['RSA-HSM 4096', (f) => { f.key.keyType = 'RSA-HSM'; f.key.sizeBits = 4096; }, 'passed', /key size: 4096 bits/],
    ['EC key', (f) => { f.key.keyType = 'EC'; f.key.sizeBits = undefined; }, 'failed', /key type: EC/],
    ['1024 bits', (f) => { f.key.sizeBits = 1024; }, 'failed', /key size: 1024 bits/],
    ['2047 bits', (f) => { f.key.sizeBits = 2047; }, 'failed', /key size: 2047 bits/],
    ['disabled', (f) => { f.key.enabled = false; }, 'failed', /enabled: false/],
    ['activation in the future', (f) => { f.key.notBefore = '2026-07-01T00:00:00.000Z'; }, 'failed', /activation date: 2026-07-01/],
    ['activation in the past', (f) => { f.key.notBefore = '2026-05-01T00:00:00.000Z'; }, 'passed', /activation date: 2026-05-01/],
    ['expiry set', (f) => { f.key.expiresOn = '2027-01-01T00:00:00.000Z'; }, 'failed', /expiry date: 2027-01-01/],
    ['purgeable', (f) => { f.key.recoveryLevel = 'Recoverable+Purgeable'; }, 'failed', /recovery level: Recoverable\+Purgeable/],
    ['customized', (f) => { f.key.recoveryLevel = 'CustomizedRecoverable'; }, 'failed', /recovery level/],
    ['protected subscription', (f) => { f.key.recoveryLevel = 'Recoverable+ProtectedSubscription'; }, 'passed', /all 6/],
    ['size unknown', (f) => { f.key.sizeBits = undefined; }, 'undecided', /key size: not reported/],
  ];
  for (const [label, change, verdict, reason] of table) {
    const judgement = judge(facts(change), 'rest.cmk-key-requirements');
    assert.equal(judgement.verdict, verdict, `${label}: ${judgement.reason}`);
    assert.match(judgement.reason, reason, label);
  }
});

test('rest.cmk-vault-protection judge: soft delete with 90 days, purge protection, same tenant and region (case and spaces ignored)', () => {
  const table: Array<[string, (facts: CmkFacts) => void, string, RegExp]> = [
    ['compliant', () => {}, 'passed', /all 5 x requirements hold/],
    ['no purge protection (absent)', (f) => { f.vault.enablePurgeProtection = undefined; }, 'failed', /purge protection: absent \(off\)/],
    ['purge protection false', (f) => { f.vault.enablePurgeProtection = false; }, 'failed', /purge protection: false/],
    ['soft delete off', (f) => { f.vault.enableSoftDelete = false; }, 'failed', /soft delete: false/],
    ['soft delete absent, key recoverable', (f) => { f.vault.enableSoftDelete = undefined; }, 'passed', /soft delete: not reported by the vault; the key's recovery level is Recoverable/],
    ['retention 7', (f) => { f.vault.softDeleteRetentionInDays = 7; }, 'failed', /soft-delete retention: 7 days/],
    ['retention absent, key says 90', (f) => { f.vault.softDeleteRetentionInDays = undefined; }, 'passed', /90 days \(the key's recoverable days\)/],
    ['other tenant', (f) => { f.vault.tenantId = 'U'; }, 'failed', /same tenant: U/],
    ['other region', (f) => { f.vault.location = 'westus'; }, 'failed', /same region: westus/],
    ['tenant unknown', (f) => { f.server.identity = { userAssigned: {} }; }, 'undecided', /same tenant/],
  ];
  for (const [label, change, verdict, reason] of table) {
    const judgement = judge(facts(change), 'rest.cmk-vault-protection');
    assert.equal(judgement.verdict, verdict, `${label}: ${judgement.reason}`);
    assert.match(judgement.reason, reason, label);
  }
});

test('rest.cmk-identity-permissions judge: get, list, wrapKey and unwrapKey for the identity, and nothing more', () => {
  const table: Array<[string, (facts: CmkFacts) => void, string, RegExp]> = [
    ['compliant', () => {}, 'passed', /all 5/],
    ['no unwrapKey', (f) => { f.vault.accessPolicies = [{ objectId: 'P', keys: ['get', 'list', 'wrapKey'] }]; }, 'failed', /1 of 5 .*identity may unwrapKey/],
    ['more than needed', (f) => { f.vault.accessPolicies[0].keys.push('delete', 'purge'); }, 'failed', /nothing more: also granted: delete, purge/],
    ['split over two policies', (f) => { f.vault.accessPolicies = [{ objectId: 'P', keys: ['get', 'list'] }, { objectId: 'p', keys: ['wrapKey', 'unwrapKey'] }]; }, 'passed', /all 5/],
    ['another principal only', (f) => { f.vault.accessPolicies = [{ objectId: 'Q', keys: ['get', 'list', 'wrapKey', 'unwrapKey'] }]; }, 'failed', /4 of 5 .*no access policy for the identity/],
    ['RBAC vault, assignments not read', (f) => { f.vault.enableRbacAuthorization = true; }, 'undecided', /Azure RBAC and its role assignments were not read/],
    ['RBAC: Crypto Service Encryption User', (f) => { f.vault.enableRbacAuthorization = true; f.vault.roleAssignments = [{ roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/E147488A-F6F5-4113-8E2D-B22465E65BF6', scope: VAULT_ID }]; }, 'passed', /all 5 .*Key Vault Crypto Service Encryption User/],
    ['RBAC: Crypto User is more than needed', (f) => { f.vault.enableRbacAuthorization = true; f.vault.roleAssignments = [{ roleDefinitionId: '/x/roleDefinitions/12338af0-0e69-4776-bea7-57ae8d297424', scope: VAULT_ID }]; }, 'failed', /nothing more: also granted: update, backup, encrypt, decrypt/],
    ['RBAC: Administrator', (f) => { f.vault.enableRbacAuthorization = true; f.vault.roleAssignments = [{ roleDefinitionId: '/x/roleDefinitions/00482a5a-887f-4fb3-b363-3b7fe8e74483', scope: VAULT_ID }]; }, 'failed', /also granted: create/],
    ['RBAC: no assignment', (f) => { f.vault.enableRbacAuthorization = true; f.vault.roleAssignments = []; }, 'failed', /4 of 5 .*no role assignment of the identity covers the vault/],
    ['RBAC: Reader only', (f) => { f.vault.enableRbacAuthorization = true; f.vault.roleAssignments = [{ roleDefinitionId: '/x/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7', scope: VAULT_ID }]; }, 'failed', /4 of 5/],
    ['RBAC: a custom role', (f) => { f.vault.enableRbacAuthorization = true; f.vault.roleAssignments = [{ roleDefinitionId: '/x/roleDefinitions/99999999-0000-0000-0000-000000000000', scope: VAULT_ID }]; }, 'undecided', /99999999/],
    ['RBAC: custom role beside the right one', (f) => { f.vault.enableRbacAuthorization = true; f.vault.roleAssignments = [{ roleDefinitionId: '/x/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6', scope: VAULT_ID }, { roleDefinitionId: '/x/roleDefinitions/99999999-0000-0000-0000-000000000000', scope: VAULT_ID }]; }, 'undecided', /1 of 5 .*nothing more: roles this check cannot expand/],
    ['identity without principal', (f) => { f.identityPrincipalId = undefined; }, 'undecided', /no principal id/],
    // A compound identity's policy grants the application acting for the identity, not the identity: the server gets nothing from it.
    ['compound policy only', (f) => { f.vault.accessPolicies = [{ objectId: 'P', applicationId: 'A', keys: ['get', 'list', 'wrapKey', 'unwrapKey'] }]; }, 'failed', /4 of 5 .*no access policy for the identity \(not counted: keys get, list, wrapKey, unwrapKey only for application A acting for the identity\)/],
    ['own policy beside a compound one', (f) => { f.vault.accessPolicies.push({ objectId: 'P', applicationId: 'A', keys: ['purge'] }); }, 'passed', /all 5/],
    // Where an assignment applies: at the key or anywhere above it reaches the key; on another key it does not.
    ['RBAC: the right role at the key itself', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: `${VAULT_ID}/keys/k` }]); }, 'passed', /all 5/],
    ['RBAC: the right role on the resource group, in other case', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: '/SUBSCRIPTIONS/s/resourcegroups/G' }]); }, 'passed', /all 5/],
    ['RBAC: the right role at the root scope', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: '/' }]); }, 'passed', /all 5/],
    ['RBAC: the right role on another key only', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: `${VAULT_ID}/keys/other` }]); }, 'failed', /4 of 5 .*no role assignment of the identity covers the vault \(not reaching the key: Key Vault Crypto Service Encryption User at .*keys\/other\)/],
    ['RBAC: the right role on a key whose name only starts like it', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: `${VAULT_ID}/keys/k2` }]); }, 'failed', /4 of 5/],
    ['RBAC: the right role on another vault named like it', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: `${VAULT_ID}-old` }]); }, 'failed', /4 of 5/],
    ['RBAC: Administrator on another key beside the right role does not count', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: VAULT_ID }, { roleDefinitionId: ADMIN, scope: `${VAULT_ID}/keys/other` }]); }, 'passed', /all 5/],
    ['RBAC: Administrator through a group the identity is in', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: VAULT_ID }, { roleDefinitionId: ADMIN, scope: '/subscriptions/s', through: 'Group G1' }]); }, 'failed', /nothing more: also granted: create/],
    // Listed at the vault's scope, a management group's assignment is one the vault inherits.
    ['RBAC: Administrator through a group at a management group', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: VAULT_ID }, { roleDefinitionId: ADMIN, scope: '/providers/Microsoft.Management/managementGroups/corp', through: 'Group G1' }]); }, 'failed', /nothing more: also granted: create/],
    ['RBAC: the right role at a management group', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: '/providers/Microsoft.Management/managementGroups/corp' }]); }, 'passed', /all 5/],
    ['RBAC: an assignment whose scope ARM did not report', (f) => { rbac(f, [{ roleDefinitionId: CSEU }]); }, 'undecided', /Key Vault Crypto Service Encryption User \(scope not reported\)/],
    ['RBAC: the right role narrowed by a condition', (f) => { rbac(f, [{ roleDefinitionId: CSEU, scope: VAULT_ID, condition: "@Resource[Microsoft.KeyVault/vaults/keys:name] StringEquals 'other'" }]); }, 'undecided', /with a condition/],
  ];
  for (const [label, change, verdict, reason] of table) {
    const judgement = judge(facts(change), 'rest.cmk-identity-permissions');
    assert.equal(judgement.verdict, verdict, `${label}: ${judgement.reason}`);
    assert.match(judgement.reason, reason, label);
  }
});

test('rest.cmk-configured judge: AzureKeyVault with a key URI and an assigned identity passes; SystemManaged fails', () => {
  const base = { plane: 'p', server: 's', userAssignedIdentities: [IDENTITY] };
  const table: Array<[Parameters<typeof judgeCmkConfigured>[0], string, RegExp]> = [
    [{ ...base, dataEncryption: { type: 'AzureKeyVault', primaryKeyUri: 'https://v/keys/k', primaryIdentityId: IDENTITY.toUpperCase(), keyStatus: 'Valid' } }, 'passed', /through the user-assigned identity/],
    [{ ...base, dataEncryption: { type: 'SystemManaged' } }, 'failed', /service-managed key/],
    [{ ...base, dataEncryption: { type: 'AzureKeyVault', primaryKeyUri: 'https://v/keys/k' } }, 'failed', /no user-assigned identity/],
    [{ ...base, userAssignedIdentities: [], dataEncryption: { type: 'AzureKeyVault', primaryKeyUri: 'https://v/keys/k', primaryIdentityId: IDENTITY } }, 'failed', /not assigned to the server/],
    [{ ...base, dataEncryption: { type: 'AzureKeyVault', primaryKeyUri: 'https://v/keys/k', primaryIdentityId: IDENTITY, keyStatus: 'Invalid' } }, 'failed', /status as Invalid/],
    // Once false passes: the key named, the server unable to reach it (MySQL's answer has no key status at all).
    [{ ...base, serverState: 'Inaccessible', dataEncryption: { type: 'AzureKeyVault', primaryKeyUri: 'https://v/keys/k', primaryIdentityId: IDENTITY } }, 'failed', /names the key https:\/\/v\/keys\/k, but Azure reports the server Inaccessible: it cannot reach its customer-managed key.*\(key status not reported\)/],
    [{ ...base, serverState: 'inaccessible', dataEncryption: { type: 'AzureKeyVault', primaryKeyUri: 'https://v/keys/k', primaryIdentityId: IDENTITY, keyStatus: 'Valid' } }, 'failed', /reports the server Inaccessible.*\(key status Valid\)/],
    [{ ...base, serverState: 'Ready', dataEncryption: { type: 'AzureKeyVault', primaryKeyUri: 'https://v/keys/k', primaryIdentityId: IDENTITY } }, 'passed', /through the user-assigned identity id;/],
    [{ ...base }, 'undecided', /no dataEncryption/],
  ];
  const primary = { type: 'AzureKeyVault', primaryKeyUri: 'https://v/keys/k', primaryIdentityId: IDENTITY, keyStatus: 'Valid' };
  const geoKey = { geoBackupKeyUri: 'https://paired/keys/g', geoBackupIdentityId: IDENTITY, geoBackupKeyStatus: 'Valid' };
  table.push(
    // With geo-redundant backup on, the copies in the paired region need their own key, reachable and valid.
    [{ ...base, geoRedundantBackup: 'Enabled', dataEncryption: { ...primary, ...geoKey } }, 'passed', /its geo-redundant backups with https:\/\/paired\/keys\/g through id \(key status Valid\)/],
    [{ ...base, geoRedundantBackup: 'Enabled', dataEncryption: { ...primary, ...geoKey, geoBackupKeyStatus: 'Invalid' } }, 'failed', /geo-redundant backups with https:\/\/paired\/keys\/g, but Azure reports that key's status as Invalid/],
    [{ ...base, geoRedundantBackup: 'Enabled', dataEncryption: { ...primary, ...geoKey, geoBackupIdentityId: `${IDENTITY}-other` } }, 'failed', /for its geo-backup key, but that identity is not assigned/],
    [{ ...base, geoRedundantBackup: 'Enabled', dataEncryption: { ...primary, geoBackupKeyUri: 'https://paired/keys/g' } }, 'failed', /names no user-assigned identity to reach it/],
    [{ ...base, geoRedundantBackup: 'Enabled', dataEncryption: primary }, 'undecided', /reports no geo-backup key/],
    [{ ...base, geoRedundantBackup: 'Disabled', dataEncryption: primary }, 'passed', /geo-redundant backup Disabled, so no geo-backup key is needed/],
  );
  for (const [evidence, verdict, reason] of table) {
    const judgement = judgeCmkConfigured(evidence);
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  }
});

test('rest.cmk-rotation judge: a Rotate action, and the server naming the key without a version', () => {
  const rotate = { actions: [{ action: 'Rotate', timeAfterCreate: 'P90D' }, { action: 'Notify', timeBeforeExpiry: 'P30D' }] };
  const table: Array<[Parameters<typeof judgeCmkRotation>[0], string, RegExp]> = [
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: rotate }, 'passed', /rotates automatically \(Rotate after P90D, Notify P30D before expiry\) and s names the key without a version, so it follows each new one/],
    // Once a false pass: pinned to today's version, the server stays there when Key Vault next rotates.
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: rotate, serverVersion: 'a', currentVersion: 'a' }, 'failed', /^s is pinned to version a of k \(p\), the current one today: a key URI with a version stays on it, so Key Vault's rotations never reach the server/],
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: rotate, serverVersion: 'a', currentVersion: 'b' }, 'failed', /pinned to version a .* not the current b/],
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: rotate, serverVersion: 'a' }, 'failed', /^s is pinned to version a of k \(p\): a key URI with a version/],
    // Pinned fails whatever the policy: with no policy returned, and with a policy that never rotates (both named).
    [{ plane: 'p', server: 's', key: 'k', serverVersion: 'a', currentVersion: 'a' }, 'failed', /^s is pinned to version a/],
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: { actions: [{ action: 'Notify', timeBeforeExpiry: 'P30D' }] }, serverVersion: 'a', currentVersion: 'a' }, 'failed', /no automatic Rotate action .*; and s is pinned to version a/],
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: { actions: [{ action: 'Notify', timeBeforeExpiry: 'P30D' }] } }, 'failed', /no automatic Rotate action/],
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: { actions: [] } }, 'failed', /no actions/],
    [{ plane: 'p', server: 's', key: 'k' }, 'undecided', /not returned/],
    // The trigger matters: 'before expiry' fires only on versions that expire; no trigger never fires.
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: { actions: [{ action: 'Rotate', timeBeforeExpiry: 'P30D' }] } }, 'failed', /Rotate action that never fires on its own .*the policy sets no expiry time/],
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: { actions: [{ action: 'Rotate', timeBeforeExpiry: 'P30D' }], expiresIn: 'P1Y' } }, 'passed', /rotates automatically \(Rotate P30D before expiry; new versions expire after P1Y\)/],
    [{ plane: 'p', server: 's', key: 'k', rotationPolicy: { actions: [{ action: 'Rotate' }] } }, 'failed', /never fires on its own \(Rotate \(no trigger\)/],
  ];
  for (const [evidence, verdict, reason] of table) {
    const judgement = judgeCmkRotation(evidence);
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  }
});

test('rest.cmk-vault-audited judge: a setting sending AuditEvent (or the audit/allLogs group) to a destination passes', () => {
  const setting = (categories: string[], groups: string[], destinations = ['Log Analytics workspace w']) => ({ name: 'd', destinations, enabledCategories: categories, enabledCategoryGroups: groups });
  const table: Array<[ReturnType<typeof setting>[], string]> = [
    [[setting(['AuditEvent'], [])], 'passed'], [[setting([], ['audit'])], 'passed'], [[setting([], ['allLogs'])], 'passed'],
    [[setting(['AzurePolicyEvaluationDetails'], [])], 'failed'], [[setting(['AuditEvent'], [], [])], 'failed'], [[], 'failed'],
  ];
  for (const [settings, verdict] of table) assert.equal(judgeVaultAudited({ plane: 'p', vault: 'v', settings }).verdict, verdict, JSON.stringify(settings));
});

test('the key controls judge the geo-backup key as well, its points named "geo-backup key: ...", and no region for its vault (it belongs in the paired region)', () => {
  const withGeo = (change: (geo: NonNullable<CmkFacts['geoBackup']>) => void = () => {}) =>
    facts((f) => {
      const geo: NonNullable<CmkFacts['geoBackup']> = {
        key: { ...f.key, keyUri: 'https://g.vault.azure.net/keys/gk', vaultUrl: 'https://g.vault.azure.net', name: 'gk' },
        vault: { ...f.vault, id: `${VAULT_ID}-paired`, name: 'g', location: 'westus', accessPolicies: [{ objectId: 'P', keys: ['get', 'list', 'wrapKey', 'unwrapKey'] }] },
        identityPrincipalId: 'P',
      };
      change(geo);
      f.geoBackup = geo;
    });
  const table: Array<[string, ControlId, ReturnType<typeof withGeo>, string, RegExp]> = [
    ['both keys sound', 'rest.cmk-key-requirements', withGeo(), 'passed', /all 12 x requirements hold for https:\/\/v\.vault\.azure\.net\/keys\/k and the geo-backup key https:\/\/g\.vault\.azure\.net\/keys\/gk/],
    ['a weak geo-backup key', 'rest.cmk-key-requirements', withGeo((geo) => { geo.key.sizeBits = 1024; }), 'failed', /1 of 12 .*geo-backup key: key size: 1024 bits/],
    ['an expiring geo-backup key', 'rest.cmk-key-requirements', withGeo((geo) => { geo.key.expiresOn = '2026-07-01T00:00:00.000Z'; }), 'failed', /geo-backup key: expiry date: 2026-07-01/],
    ['geo vault in another region is as it should be', 'rest.cmk-vault-protection', withGeo(), 'passed', /all 9 x requirements hold/],
    ['geo vault without purge protection', 'rest.cmk-vault-protection', withGeo((geo) => { geo.vault.enablePurgeProtection = undefined; }), 'failed', /geo-backup key: purge protection: absent \(off\)/],
    ['geo identity without unwrapKey', 'rest.cmk-identity-permissions', withGeo((geo) => { geo.vault.accessPolicies = [{ objectId: 'P', keys: ['get', 'list', 'wrapKey'] }]; }), 'failed', /1 of 10 .*geo-backup key: identity may unwrapKey/],
    ['geo identity with no principal in ARM\'s answer', 'rest.cmk-identity-permissions', withGeo((geo) => { geo.identityPrincipalId = undefined; }), 'undecided', /geo-backup key: identity may get: the server's identity has no principal id/],
  ];
  for (const [label, control, value, verdict, reason] of table) {
    const judgement = judge(value, control);
    assert.equal(judgement.verdict, verdict, `${label}: ${judgement.reason}`);
    assert.match(judgement.reason, reason, label);
  }
});

test('rest.cmk-rotation judge: with a geo-backup key, both keys must rotate and be followed', () => {
  const rotate = { actions: [{ action: 'Rotate', timeAfterCreate: 'P90D' }] };
  const notify = { actions: [{ action: 'Notify', timeBeforeExpiry: 'P30D' }] };
  const base = { plane: 'p', server: 's', key: 'k', rotationPolicy: rotate };
  const table: Array<[Parameters<typeof judgeCmkRotation>[0], string, RegExp]> = [
    [{ ...base, geoBackup: { key: 'g', rotationPolicy: rotate } }, 'passed', /rotation policy of k .*rotates automatically.*; and the rotation policy of g .*rotates automatically .*s's geo-redundant backup names the key without a version/],
    [{ ...base, geoBackup: { key: 'g', rotationPolicy: notify } }, 'failed', /^the rotation policy of g \(p\) has no automatic Rotate action/],
    [{ ...base, geoBackup: { key: 'g', rotationPolicy: rotate, serverVersion: 'a', currentVersion: 'b' } }, 'failed', /s's geo-redundant backup is pinned to version a of g/],
    [{ ...base, geoBackup: { key: 'g', rotationPolicy: rotate, serverVersion: 'a', currentVersion: 'a' } }, 'failed', /^s's geo-redundant backup is pinned to version a of g \(p\), the current one today/],
    [{ ...base, geoBackup: { key: 'g' } }, 'undecided', /the rotation policy of g \(p\) was not returned/],
    [{ ...base, rotationPolicy: notify, geoBackup: { key: 'g' } }, 'failed', /rotation policy of k .*no automatic Rotate/],
  ];
  for (const [evidence, verdict, reason] of table) {
    const judgement = judgeCmkRotation(evidence);
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  }
});

test('rest.cmk-vault-audited judge: a geo-backup key in another vault needs that vault audited too', () => {
  const audited = [{ name: 'a', destinations: ['Log Analytics workspace w'], enabledCategories: ['AuditEvent'], enabledCategoryGroups: [] }];
  const table: Array<[Parameters<typeof judgeVaultAudited>[0], string, RegExp]> = [
    [{ plane: 'p', vault: 'v', settings: audited, geoVault: { vault: 'g', settings: audited } }, 'passed', /vault v .*; and 1 diagnostic settings of the geo-backup vault g/],
    [{ plane: 'p', vault: 'v', settings: audited, geoVault: { vault: 'g', settings: [] } }, 'failed', /^the geo-backup vault g \(p\) has no diagnostic setting/],
    [{ plane: 'p', vault: 'v', settings: [], geoVault: { vault: 'g', settings: audited } }, 'failed', /^the vault v \(p\) has no diagnostic setting/],
  ];
  for (const [evidence, verdict, reason] of table) {
    const judgement = judgeVaultAudited(evidence);
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  }
});
