import { generateKeyPairSync } from 'node:crypto';
import { ArmStore } from './arm-store.js';
import { example, exampleBody } from './example-payloads.js';

/**
 * The servers, vaults and keys the Azure stand-in serves, derived from the official examples: each
 * server is the example's body with as few changes as one case takes. One compliant PostgreSQL and
 * one compliant MySQL server pass every plane control; every other server breaks exactly one thing,
 * named by its name. The originals are loaded fresh for each derivation and never altered.
 */

/** The examples' own subscription (PostgreSQL and MySQL examples share it). */
export const SUBSCRIPTION_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
export const PG_GROUP = 'exampleresourcegroup';
export const MYSQL_GROUP = 'testrg';
/** The Key Vault examples' tenant, taken as the servers' tenant too. */
export const AZURE_TENANT_ID = '00000000-0000-0000-0000-000000000000';
export const OTHER_TENANT_ID = '11111111-1111-1111-1111-111111111111';
const IDENTITY_GROUP = 'identities';

export const PG_SERVER_CASES = [
  'exampleserver', // the official example as it is
  'pg-compliant',
  'pg-replica', // the compliant server's read replica, in another region
  'pg-key-too-small',
  'pg-key-expiring',
  'pg-key-disabled',
  'pg-vault-no-purge-protection',
  'pg-vault-other-region',
  'pg-vault-other-tenant',
  'pg-identity-no-unwrap',
  'pg-no-rotation-policy',
  'pg-vault-not-audited',
  'pg-public-access',
  'pg-firewall-azure-services',
  'pg-firewall-whole-ipv4',
  'pg-retention-6',
  'pg-retention-7',
  'pg-geo-off',
  'pg-defender-off',
  'pg-no-ha',
  'pg-no-replica',
  'pg-logs-not-exported',
  'pg-system-managed-key',
  'pg-noncompliant', // every plane control it can fail, at once: the demo's contrast to pg-compliant
  'pg-vault-rbac', // compliant, with a vault that uses Azure RBAC instead of access policies
  // Shapes the cases above were not built for (generality sweep): each should not pass the control it names.
  'pg-firewall-split-ipv4', // four rules of a quarter of IPv4 each: none open alone, all of IPv4 together
  'pg-firewall-paged', // bounded rules on the first pages, 0.0.0.0-255.255.255.255 on the last
  'pg-firewall-foreign-next-link', // its firewall rules' nextLink points away from the cloud (the SDK's pager would follow it, token and all)
  'pg-firewall-page-fails', // bounded rules, one page of the list answers 500
  'pg-vault-rbac-paged', // RBAC vault: the right role on the first page of assignments, Key Vault Administrator through a group on the second
  'pg-vault-rbac-other-key', // RBAC vault: the right role, but assigned on another key of the vault only
  'pg-ha-same-zone', // high availability SameZone and Healthy, on a server in zone 1 (its region has zones)
  'pg-replica-broken', // its one replica, in another region, no longer replicates (replica.replicationState Broken)
  'pg-replicas-paged', // replicas in its own region on the first pages, the one in another region on the last
  'pg-replicas-page-fails', // the same paged list, its second page answers 500
  'pg-identity-compound-policy', // the vault's only policy for the identity is a compound one (applicationId set): the server alone gets nothing
  'pg-geo-key-invalid', // geo-redundant backup on, and Azure reports the geo-backup key's status Invalid
  'pg-geo-key-unnamed', // geo-redundant backup on, but ARM names no geo-backup key
  'pg-logs-paged', // two diagnostic settings served a page each: query-store logs first, the server log on the second page
  'pg-rotation-never-fires', // its only Rotate action is 'P30D before expiry', and the policy gives new versions no expiry
  'pg-logs-foreign-next-link', // its diagnostic settings' nextLink points away from the cloud it was read from
  'pg-geo-key-too-small', // a compliant key, but its geo-backup key is 1024-bit RSA
  'pg-geo-identity-no-unwrap', // its geo-backup key reached through a second identity that may not unwrapKey
  'pg-geo-key-not-rotated', // its geo-backup key's rotation policy only notifies
  'pg-geo-vault-not-audited', // its geo-backup key lives in a vault with no diagnostic setting
  'pg-location-unreported', // ARM's answer has no location; its one replica is in westus
  'pg-key-pinned-current', // its key URI names the key's current version: today's version, but the next rotation leaves it behind
  'pg-geo-key-pinned-current', // the same for its geo-backup key URI
  'pg-key-inaccessible', // ARM names the key but reports the server Inaccessible (the key cannot be reached) and no key status
  'pg-private-endpoint-pending', // its one private endpoint connection still Pending: the private address carries no approved traffic
  'pg-tls-floor-pending-restart', // ssl_min_protocol_version set to TLSv1.3 and pending a restart: the server still runs with TLS 1.2 allowed
] as const;
export type PgServerCase = (typeof PG_SERVER_CASES)[number];

export const MYSQL_SERVER_CASES = [
  'mysqltestserver',
  'mysql-compliant',
  'mysql-firewall-azure-services',
  'mysql-key-expiring',
  'mysql-defender-off',
  'mysql-logs-slow-only', // generality sweep: a diagnostic setting exports the slow log but not the audit log
  'mysql-audit-log-off', // both logs exported, but audit_log_enabled OFF: no audit log is written to export
  'mysql-slow-log-off', // both logs exported, but slow_query_log OFF: no slow log is written to export
  'mysql-audit-log-pending-restart', // audit_log_enabled ON, but pending a restart (isConfigPendingRestart True): not in effect yet
  'mysql-key-inaccessible', // ARM names the key but reports the server Inaccessible
  'mysql-private-endpoint-rejected', // its one private endpoint connection Rejected by the server's owner
  'mysql-tls-version-pending-restart', // tls_version set to TLSv1.3 alone (a static parameter) and pending a restart: TLS 1.2 still in force
] as const;
export type MySqlServerCase = (typeof MYSQL_SERVER_CASES)[number];

/**
 * A second subscription, whose Defender plan for open-source databases is Standard, holding one
 * server whose own advanced threat protection says Disabled: the plan and the server disagree.
 * Outside SUBSCRIPTION_ID, so the first subscription's lists and plans stay as they are.
 */
export const STANDARD_PLAN_SUBSCRIPTION_ID = 'eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee';
export const PG_DEFENDER_DISAGREES_ID = `/subscriptions/${STANDARD_PLAN_SUBSCRIPTION_ID}/resourceGroups/exampleresourcegroup/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-defender-disagrees`;

export function pgServerId(name: string): string {
  return `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${PG_GROUP}/providers/Microsoft.DBforPostgreSQL/flexibleServers/${name}`;
}

export function mysqlServerId(name: string): string {
  return `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${MYSQL_GROUP}/providers/Microsoft.DBforMySQL/flexibleServers/${name}`;
}

/** Every vault the fleet holds; the stand-in gives each its own HTTPS listener (a vault is a host name). */
export const VAULT_NAMES = ['pg-vault', 'pg-vault-no-purge', 'pg-vault-westus', 'pg-vault-other-tenant', 'pg-vault-no-audit', 'pg-vault-weak', 'pg-vault-rbac', 'pg-vault-rbac-paged', 'pg-vault-rbac-other-key', 'mysql-vault'] as const;
export type VaultName = (typeof VAULT_NAMES)[number];

export interface StoredKey {
  /** Oldest first; the last is the current version. */
  versions: Array<Record<string, any>>;
  rotationPolicy?: Record<string, any>;
}

export interface FleetVault {
  url: string;
  keys: Map<string, StoredKey>;
}

export interface StandInFleet {
  arm: ArmStore;
  vaults: Map<string, FleetVault>;
}

const DAY_SECONDS = 86_400;
/** Every stand-in key has these versions, oldest first: the last is the current one. */
const KEY_VERSIONS = ['0f0c1a2b3c4d4e5f8a9b0c1d2e3f4a5b', '78deebed173b48e48f55abf87ed4cf71'];
const nowSeconds = () => Math.floor(Date.now() / 1000);

function rsaModulus(bits: number): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ format: 'jwk' }).n as string;
}

/**
 * Builds the fleet. `vaultUrls` are the listeners' base URLs (https://127.0.0.1:port), which take the
 * place of the examples' *.vault.azure.net host names.
 */
export function buildFleet(vaultUrls: ReadonlyMap<VaultName, string>): StandInFleet {
  const arm = new ArmStore();
  const vaults = new Map<string, FleetVault>();
  const modulus2048 = rsaModulus(2048);
  const modulus1024 = rsaModulus(1024);

  const identityId = (name: string) => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${IDENTITY_GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
  const principalOf = (server: string) => `${server.length.toString(16).padStart(8, '0')}-aaaa-4aaa-8aaa-${Buffer.from(server).toString('hex').slice(0, 12).padEnd(12, '0')}`;

  // ---- vaults (ARM) and their keys (data plane)
  const vaultId = (name: string) => `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${PG_GROUP}/providers/Microsoft.KeyVault/vaults/${name}`;
  const addVault = (name: VaultName, change: (properties: Record<string, any>, body: Record<string, any>) => void, location = 'eastus') => {
    const body = exampleBody('keyvault-arm-get-vault');
    body.id = vaultId(name);
    body.name = name;
    body.location = location;
    body.properties.vaultUri = `${vaultUrls.get(name)}/`;
    body.properties.tenantId = AZURE_TENANT_ID;
    // The example's one policy grants everything to the all-zero object id; each server adds its own.
    body.properties.accessPolicies = [];
    body.properties.enableSoftDelete = true;
    body.properties.softDeleteRetentionInDays = 90;
    body.properties.enablePurgeProtection = true;
    change(body.properties, body);
    arm.putListed(body.id, body);
    arm.add(`/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.KeyVault/vaults`, body);
    vaults.set(name, { url: vaultUrls.get(name)!, keys: new Map() });
    return body;
  };
  const vaultBodies = new Map<string, Record<string, any>>();
  for (const name of VAULT_NAMES) {
    vaultBodies.set(
      name,
      addVault(
        name,
        (properties) => {
          if (name === 'pg-vault-no-purge') delete properties.enablePurgeProtection;
          if (name === 'pg-vault-other-tenant') properties.tenantId = OTHER_TENANT_ID;
          if (name === 'pg-vault-weak') delete properties.enablePurgeProtection;
          if (name.startsWith('pg-vault-rbac')) properties.enableRbacAuthorization = true;
        },
        name === 'pg-vault-westus' || name === 'pg-vault-weak' ? 'westus' : name === 'mysql-vault' ? 'Southeast Asia' : 'eastus',
      ),
    );
    if (name !== 'pg-vault-no-audit' && name !== 'pg-vault-weak') arm.add(`${vaultId(name)}/providers/Microsoft.Insights/diagnosticSettings`, diagnosticSetting(vaultId(name), 'vault-audit', [{ categoryGroup: 'audit', enabled: true }]));
    else arm.declareEmpty(`${vaultId(name)}/providers/Microsoft.Insights/diagnosticSettings`);
  }

  /**
   * A key in a vault, from the data-plane example; returns its versionless URI, the form a server
   * follows through rotations (Azure's "automatic key version updates").
   */
  const addKey = (vault: VaultName, keyName: string, change: (bundle: Record<string, any>) => void = () => {}, rotation: 'rotate' | 'notify-only' | 'rotate-before-no-expiry' | 'none' = 'rotate'): string => {
    const stored = vaults.get(vault)!;
    const versions: Array<Record<string, any>> = [];
    for (const version of KEY_VERSIONS) {
      const bundle = exampleBody('keyvault-data-get-key');
      bundle.key.kid = `${stored.url}/keys/${keyName}/${version}`;
      bundle.key.n = modulus2048;
      bundle.attributes = { ...bundle.attributes, created: nowSeconds() - 200 * DAY_SECONDS, updated: nowSeconds() - 100 * DAY_SECONDS, nbf: nowSeconds() - 100 * DAY_SECONDS, recoveryLevel: 'Recoverable', recoverableDays: 90 };
      change(bundle);
      versions.push(bundle);
    }
    let rotationPolicy: Record<string, any> | undefined;
    if (rotation !== 'none') {
      const policy = exampleBody('keyvault-data-get-rotation-policy');
      policy.id = `${stored.url}/keys/${keyName}/rotationpolicy`;
      if (rotation === 'notify-only') policy.lifetimeActions = policy.lifetimeActions.filter((action: any) => action.action.type !== 'Rotate');
      if (rotation === 'rotate-before-no-expiry') {
        policy.lifetimeActions = [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Rotate' } }];
        delete policy.attributes.expiryTime;
      }
      rotationPolicy = policy;
    }
    stored.keys.set(keyName, { versions, rotationPolicy });
    return `${stored.url}/keys/${keyName}`;
  };
  /** A key's URI pinned to its current version, as a server names it that stays on one version. */
  const pinnedToCurrent = (keyUri: string): string => `${keyUri}/${KEY_VERSIONS[KEY_VERSIONS.length - 1]}`;

  const grant = (vault: VaultName, principalId: string, keys: string[], tenantId = AZURE_TENANT_ID, applicationId?: string) => {
    vaultBodies.get(vault)!.properties.accessPolicies.push({ tenantId, objectId: principalId, ...(applicationId ? { applicationId } : {}), permissions: { keys } });
  };
  const CMK_PERMISSIONS = ['get', 'list', 'wrapKey', 'unwrapKey'];

  // ---- servers
  const withCmk = (body: Record<string, any>, server: string, vault: VaultName, keyUri: string, permissions = CMK_PERMISSIONS) => {
    const identity = identityId(`${server}-identity`);
    const principalId = principalOf(server);
    body.identity = { type: 'UserAssigned', userAssignedIdentities: { [identity]: { principalId, clientId: principalId } }, tenantId: AZURE_TENANT_ID };
    // Geo-redundant backup (on in the compliant posture) encrypts its copies with a key of its own; here one in the same vault.
    const geoKeyUri = addKey(vault, `${server}-geo-key`);
    body.properties.dataEncryption = {
      type: 'AzureKeyVault',
      primaryKeyURI: keyUri,
      primaryUserAssignedIdentityId: identity,
      primaryEncryptionKeyStatus: 'Valid',
      geoBackupKeyURI: geoKeyUri,
      geoBackupUserAssignedIdentityId: identity,
      geoBackupEncryptionKeyStatus: 'Valid',
    };
    grant(vault, principalId, permissions);
  };

  const pgServer = (name: PgServerCase, change: (body: Record<string, any>) => void) => {
    const body = exampleBody('pg-server-get');
    const id = pgServerId(name);
    body.id = id;
    body.name = name;
    body.properties.fullyQualifiedDomainName = `${name}.postgres.database.azure.com`;
    if (name !== 'exampleserver') {
      // The compliant posture: everything strict asks for; each case then breaks one thing.
      body.properties.network = { publicNetworkAccess: 'Disabled' };
      body.properties.privateEndpointConnections = [privateEndpointConnection(id, 'postgresqlServer', 'Approved')];
      body.properties.backup = { ...body.properties.backup, backupRetentionDays: 35, geoRedundantBackup: 'Enabled' };
      body.properties.highAvailability = { mode: 'ZoneRedundant', state: 'Healthy', standbyAvailabilityZone: '2' };
      body.properties.authConfig = { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled', tenantId: AZURE_TENANT_ID };
    }
    change(body);
    arm.putListed(id, body);
    arm.add(`/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers`, body);
    arm.declareEmpty(`${id}/firewallRules`);
    arm.declareEmpty(`${id}/replicas`);
    arm.put(`${id}/advancedThreatProtectionSettings/Default`, threatProtection(id, name.endsWith('defender-off') || name === 'exampleserver' || name === 'pg-noncompliant' ? 'Disabled' : 'Enabled'));
    if (name === 'pg-logs-not-exported' || name === 'exampleserver' || name === 'pg-noncompliant') arm.declareEmpty(`${id}/providers/Microsoft.Insights/diagnosticSettings`);
    else if (name === 'pg-logs-foreign-next-link') {
      arm.add(`${id}/providers/Microsoft.Insights/diagnosticSettings`, diagnosticSetting(id, 'query-store', [{ category: 'PostgreSQLFlexQueryStoreRuntime', enabled: true }]), diagnosticSetting(id, 'server-logs', [{ category: 'PostgreSQLLogs', enabled: true }]));
      arm.page(`${id}/providers/Microsoft.Insights/diagnosticSettings`, 1, undefined, 'https://collector.example');
    } else if (name === 'pg-logs-paged') {
      arm.add(`${id}/providers/Microsoft.Insights/diagnosticSettings`, diagnosticSetting(id, 'query-store', [{ category: 'PostgreSQLFlexQueryStoreRuntime', enabled: true }]), diagnosticSetting(id, 'server-logs', [{ category: 'PostgreSQLLogs', enabled: true }]));
      arm.page(`${id}/providers/Microsoft.Insights/diagnosticSettings`, 1);
    }
    else arm.add(`${id}/providers/Microsoft.Insights/diagnosticSettings`, diagnosticSetting(id, 'server-logs', [{ category: 'PostgreSQLLogs', enabled: true }]));
    for (const [parameter, value, dataType] of PG_PARAMETERS) arm.putListed(`${id}/configurations/${parameter}`, pgConfiguration(id, parameter, value, dataType));
    return body;
  };

  const pgCmk = (server: PgServerCase, vault: VaultName = 'pg-vault', key: (bundle: Record<string, any>) => void = () => {}, rotation: 'rotate' | 'notify-only' | 'rotate-before-no-expiry' | 'none' = 'rotate', permissions = CMK_PERMISSIONS) => (body: Record<string, any>) =>
    withCmk(body, server, vault, addKey(vault, `${server}-key`, key, rotation), permissions);

  const pgCompliant = pgServer('pg-compliant', pgCmk('pg-compliant'));
  const replica = pgServer('pg-replica', (body) => {
    pgCmk('pg-replica')(body);
    body.location = 'westus';
    body.properties.replicationRole = 'AsyncReplica';
    body.properties.replica = { role: 'AsyncReplica', capacity: 0, sourceServerResourceId: pgCompliant.id };
    body.properties.sourceServerResourceId = pgCompliant.id;
    body.properties.backup.geoRedundantBackup = 'Disabled';
  });
  arm.add(`${pgCompliant.id}/replicas`, replica);
  pgServer('exampleserver', () => {});
  pgServer('pg-key-too-small', pgCmk('pg-key-too-small', 'pg-vault', (bundle) => (bundle.key.n = modulus1024)));
  pgServer('pg-key-expiring', pgCmk('pg-key-expiring', 'pg-vault', (bundle) => (bundle.attributes.exp = nowSeconds() + 60 * DAY_SECONDS)));
  pgServer('pg-key-disabled', pgCmk('pg-key-disabled', 'pg-vault', (bundle) => (bundle.attributes.enabled = false)));
  pgServer('pg-vault-no-purge-protection', pgCmk('pg-vault-no-purge-protection', 'pg-vault-no-purge', (bundle) => (bundle.attributes.recoveryLevel = 'Recoverable+Purgeable')));
  pgServer('pg-vault-other-region', pgCmk('pg-vault-other-region', 'pg-vault-westus'));
  pgServer('pg-vault-other-tenant', pgCmk('pg-vault-other-tenant', 'pg-vault-other-tenant'));
  pgServer('pg-identity-no-unwrap', pgCmk('pg-identity-no-unwrap', 'pg-vault', undefined, 'rotate', ['get', 'list', 'wrapKey']));
  pgServer('pg-no-rotation-policy', pgCmk('pg-no-rotation-policy', 'pg-vault', undefined, 'notify-only'));
  pgServer('pg-vault-not-audited', pgCmk('pg-vault-not-audited', 'pg-vault-no-audit'));
  pgServer('pg-rotation-never-fires', pgCmk('pg-rotation-never-fires', 'pg-vault', undefined, 'rotate-before-no-expiry'));
  pgServer('pg-identity-compound-policy', (body) => {
    pgCmk('pg-identity-compound-policy', 'pg-vault', undefined, 'rotate', [])(body);
    grant('pg-vault', principalOf('pg-identity-compound-policy'), CMK_PERMISSIONS, AZURE_TENANT_ID, '7b7b7b7b-0000-4000-8000-0000000000a1');
  });
  pgServer('pg-public-access', (body) => {
    pgCmk('pg-public-access')(body);
    body.properties.network = { publicNetworkAccess: 'Enabled' };
  });
  const firewall = (server: PgServerCase, rules: Array<[string, string, string]>) => {
    for (const [rule, start, end] of rules) {
      const example = exampleBody('pg-firewall-rules-list').value[0];
      example.id = `${pgServerId(server)}/firewallRules/${rule}`;
      example.name = rule;
      example.properties = { startIpAddress: start, endIpAddress: end };
      arm.putListed(example.id, example);
    }
  };
  pgServer('pg-firewall-azure-services', (body) => {
    pgCmk('pg-firewall-azure-services')(body);
    body.properties.network = { publicNetworkAccess: 'Enabled' };
  });
  firewall('pg-firewall-azure-services', [['AllowAllAzureServicesAndResourcesWithinAzureIps', '0.0.0.0', '0.0.0.0'], ['office', '203.0.113.0', '203.0.113.255']]);
  pgServer('pg-firewall-whole-ipv4', (body) => {
    pgCmk('pg-firewall-whole-ipv4')(body);
    body.properties.network = { publicNetworkAccess: 'Enabled' };
  });
  // The example's own list: a 0.0.0.0-255.255.255.255 rule and 1.0.0.0-255.0.0.0.
  for (const rule of exampleBody('pg-firewall-rules-list').value) {
    rule.id = `${pgServerId('pg-firewall-whole-ipv4')}/firewallRules/${rule.name}`;
    arm.putListed(rule.id, rule);
  }
  firewall('pg-compliant', [['office', '203.0.113.0', '203.0.113.255']]);
  const publicWithCmk = (server: PgServerCase) => (body: Record<string, any>) => {
    pgCmk(server)(body);
    body.properties.network = { publicNetworkAccess: 'Enabled' };
  };
  pgServer('pg-firewall-split-ipv4', publicWithCmk('pg-firewall-split-ipv4'));
  firewall('pg-firewall-split-ipv4', [['quarter-1', '0.0.0.1', '63.255.255.255'], ['quarter-2', '64.0.0.0', '127.255.255.255'], ['quarter-3', '128.0.0.0', '191.255.255.255'], ['quarter-4', '192.0.0.0', '255.255.255.255']]);
  pgServer('pg-firewall-paged', publicWithCmk('pg-firewall-paged'));
  firewall('pg-firewall-paged', [['office', '203.0.113.0', '203.0.113.255'], ['branch', '198.51.100.0', '198.51.100.255'], ['everyone', '0.0.0.0', '255.255.255.255']]);
  arm.page(`${pgServerId('pg-firewall-paged')}/firewallRules`, 1);
  pgServer('pg-firewall-foreign-next-link', publicWithCmk('pg-firewall-foreign-next-link'));
  firewall('pg-firewall-foreign-next-link', [['office', '203.0.113.0', '203.0.113.255'], ['branch', '198.51.100.0', '198.51.100.255']]);
  arm.page(`${pgServerId('pg-firewall-foreign-next-link')}/firewallRules`, 1, undefined, 'https://collector.example');
  pgServer('pg-firewall-page-fails', publicWithCmk('pg-firewall-page-fails'));
  firewall('pg-firewall-page-fails', [['office', '203.0.113.0', '203.0.113.255'], ['branch', '198.51.100.0', '198.51.100.255'], ['lab', '192.0.2.0', '192.0.2.255']]);
  arm.page(`${pgServerId('pg-firewall-page-fails')}/firewallRules`, 1, 1);
  pgServer('pg-retention-6', (body) => {
    pgCmk('pg-retention-6')(body);
    body.properties.backup.backupRetentionDays = 6;
  });
  pgServer('pg-retention-7', (body) => {
    pgCmk('pg-retention-7')(body);
    body.properties.backup.backupRetentionDays = 7;
  });
  pgServer('pg-geo-off', (body) => {
    pgCmk('pg-geo-off')(body);
    body.properties.backup.geoRedundantBackup = 'Disabled';
  });
  pgServer('pg-defender-off', pgCmk('pg-defender-off'));
  pgServer('pg-no-ha', (body) => {
    pgCmk('pg-no-ha')(body);
    body.properties.highAvailability = { mode: 'Disabled', state: 'NotEnabled' };
  });
  pgServer('pg-ha-same-zone', (body) => {
    pgCmk('pg-ha-same-zone')(body);
    // The example's server sits in zone 1; the standby in the same zone.
    body.properties.highAvailability = { mode: 'SameZone', state: 'Healthy', standbyAvailabilityZone: body.properties.availabilityZone };
  });
  pgServer('pg-no-replica', pgCmk('pg-no-replica'));
  pgServer('pg-geo-key-too-small', (body) => {
    pgCmk('pg-geo-key-too-small')(body);
    body.properties.dataEncryption.geoBackupKeyURI = addKey('pg-vault', 'pg-geo-key-too-small-weak-geo-key', (bundle) => (bundle.key.n = modulus1024));
  });
  pgServer('pg-location-unreported', (body) => {
    pgCmk('pg-location-unreported')(body);
    delete body.location;
  });
  pgServer('pg-key-pinned-current', (body) => {
    pgCmk('pg-key-pinned-current')(body);
    body.properties.dataEncryption.primaryKeyURI = pinnedToCurrent(body.properties.dataEncryption.primaryKeyURI);
  });
  pgServer('pg-geo-key-pinned-current', (body) => {
    pgCmk('pg-geo-key-pinned-current')(body);
    body.properties.dataEncryption.geoBackupKeyURI = pinnedToCurrent(body.properties.dataEncryption.geoBackupKeyURI);
  });
  pgServer('pg-key-inaccessible', (body) => {
    pgCmk('pg-key-inaccessible')(body);
    // What ARM shows when the server can no longer reach its key (revoked access, a deleted key):
    // the key URI still named, the server Inaccessible; this answer carries no key status.
    body.properties.state = 'Inaccessible';
    delete body.properties.dataEncryption.primaryEncryptionKeyStatus;
  });
  pgServer('pg-geo-vault-not-audited', (body) => {
    pgCmk('pg-geo-vault-not-audited')(body);
    body.properties.dataEncryption.geoBackupKeyURI = addKey('pg-vault-no-audit', 'pg-geo-vault-not-audited-geo-key');
    grant('pg-vault-no-audit', principalOf('pg-geo-vault-not-audited'), CMK_PERMISSIONS);
  });
  pgServer('pg-geo-key-not-rotated', (body) => {
    pgCmk('pg-geo-key-not-rotated')(body);
    body.properties.dataEncryption.geoBackupKeyURI = addKey('pg-vault', 'pg-geo-key-not-rotated-notify-geo-key', undefined, 'notify-only');
  });
  pgServer('pg-geo-identity-no-unwrap', (body) => {
    pgCmk('pg-geo-identity-no-unwrap')(body);
    // A second user-assigned identity for the geo-backup key, granted everything but unwrapKey.
    const geoIdentity = identityId('pg-geo-identity-no-unwrap-geo-identity');
    const geoPrincipal = principalOf('pg-geo-identity-no-unwrap-geo');
    body.identity.userAssignedIdentities[geoIdentity] = { principalId: geoPrincipal, clientId: geoPrincipal };
    body.properties.dataEncryption.geoBackupUserAssignedIdentityId = geoIdentity;
    grant('pg-vault', geoPrincipal, ['get', 'list', 'wrapKey']);
  });
  pgServer('pg-geo-key-unnamed', (body) => {
    pgCmk('pg-geo-key-unnamed')(body);
    delete body.properties.dataEncryption.geoBackupKeyURI;
    delete body.properties.dataEncryption.geoBackupUserAssignedIdentityId;
    delete body.properties.dataEncryption.geoBackupEncryptionKeyStatus;
  });
  pgServer('pg-geo-key-invalid', (body) => {
    pgCmk('pg-geo-key-invalid')(body);
    body.properties.dataEncryption.geoBackupEncryptionKeyStatus = 'Invalid';
  });
  pgServer('pg-replica-broken', pgCmk('pg-replica-broken'));
  arm.add(`${pgServerId('pg-replica-broken')}/replicas`, { ...replica, id: `${pgServerId('pg-replica-broken')}-replica`, name: 'pg-replica-broken-replica', properties: { ...replica.properties, replica: { ...replica.properties.replica, replicationState: 'Broken' } } });
  pgServer('pg-replicas-paged', pgCmk('pg-replicas-paged'));
  for (const [suffix, location] of [['a', 'eastus'], ['b', 'eastus'], ['far', 'westus']]) {
    arm.add(`${pgServerId('pg-replicas-paged')}/replicas`, { ...replica, id: `${pgServerId('pg-replicas-paged')}-${suffix}`, name: `pg-replicas-paged-${suffix}`, location });
  }
  arm.page(`${pgServerId('pg-replicas-paged')}/replicas`, 1);
  pgServer('pg-replicas-page-fails', pgCmk('pg-replicas-page-fails'));
  for (const [suffix, location] of [['a', 'eastus'], ['far', 'westus']]) {
    arm.add(`${pgServerId('pg-replicas-page-fails')}/replicas`, { ...replica, id: `${pgServerId('pg-replicas-page-fails')}-${suffix}`, name: `pg-replicas-page-fails-${suffix}`, location });
  }
  arm.page(`${pgServerId('pg-replicas-page-fails')}/replicas`, 1, 1);
  pgServer('pg-logs-not-exported', pgCmk('pg-logs-not-exported'));
  pgServer('pg-logs-paged', pgCmk('pg-logs-paged'));
  pgServer('pg-logs-foreign-next-link', pgCmk('pg-logs-foreign-next-link'));
  pgServer('pg-system-managed-key', () => {});
  pgServer('pg-private-endpoint-pending', (body) => {
    pgCmk('pg-private-endpoint-pending')(body);
    body.properties.privateEndpointConnections = [privateEndpointConnection(body.id, 'postgresqlServer', 'Pending')];
  });
  pgServer('pg-tls-floor-pending-restart', pgCmk('pg-tls-floor-pending-restart'));
  {
    // Set, not yet in force: the PostgreSQL example's own boolean form of the flag.
    const found = arm.get(`${pgServerId('pg-tls-floor-pending-restart')}/configurations/ssl_min_protocol_version`);
    if (found?.kind !== 'resource') throw new Error('the stand-in has no ssl_min_protocol_version on pg-tls-floor-pending-restart');
    Object.assign((found.body as { properties: Record<string, any> }).properties, { value: 'TLSv1.3', isConfigPendingRestart: true });
  }
  /** A server whose key lives in an RBAC vault, with the identity's role assignments as [role definition GUID, scope, group it is granted through]. */
  const rbacServer = (server: PgServerCase, vault: VaultName, assignments: (vaultId: string) => Array<[string, string, string?]>) =>
    pgServer(server, (body) => {
      pgCmk(server, vault, undefined, 'rotate', [])(body);
      const principalId = Object.values(body.identity.userAssignedIdentities as Record<string, { principalId: string }>)[0].principalId;
      const id = vaultId(vault);
      assignments(id).forEach(([role, scope, group], index) => {
        const name = `5f8a2b1c-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
        arm.add(`${id}/providers/Microsoft.Authorization/roleAssignments`, {
          id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
          name,
          type: 'Microsoft.Authorization/roleAssignments',
          properties: {
            roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
            principalId: group ?? principalId,
            principalType: group ? 'Group' : 'ServicePrincipal',
            scope,
          },
        });
      });
    });
  const CRYPTO_SERVICE_ENCRYPTION_USER = 'e147488a-f6f5-4113-8e2d-b22465e65bf6';
  const KEY_VAULT_ADMINISTRATOR = '00482a5a-887f-4fb3-b363-3b7fe8e74483';
  rbacServer('pg-vault-rbac', 'pg-vault-rbac', (id) => [[CRYPTO_SERVICE_ENCRYPTION_USER, id]]);
  rbacServer('pg-vault-rbac-paged', 'pg-vault-rbac-paged', (id) => [
    [CRYPTO_SERVICE_ENCRYPTION_USER, id],
    [KEY_VAULT_ADMINISTRATOR, `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${PG_GROUP}`, '0a0a0a0a-6767-4aaa-8aaa-0000000000aa'],
  ]);
  arm.page(`${vaultId('pg-vault-rbac-paged')}/providers/Microsoft.Authorization/roleAssignments`, 1);
  rbacServer('pg-vault-rbac-other-key', 'pg-vault-rbac-other-key', (id) => [[CRYPTO_SERVICE_ENCRYPTION_USER, `${id}/keys/another-servers-key`]]);
  pgServer('pg-noncompliant', (body) => {
    pgCmk('pg-noncompliant', 'pg-vault-weak', (bundle) => {
      bundle.key.n = modulus1024;
      bundle.attributes.exp = nowSeconds() + 20 * DAY_SECONDS;
      bundle.attributes.recoveryLevel = 'Recoverable+Purgeable';
    }, 'notify-only', ['get', 'list', 'wrapKey', 'delete'])(body);
    body.properties.network = { publicNetworkAccess: 'Enabled' };
    body.properties.backup = { ...body.properties.backup, backupRetentionDays: 6, geoRedundantBackup: 'Disabled' };
    body.properties.highAvailability = { mode: 'Disabled', state: 'NotEnabled' };
  });
  firewall('pg-noncompliant', [['AllowAllAzureServicesAndResourcesWithinAzureIps', '0.0.0.0', '0.0.0.0'], ['everyone', '0.0.0.0', '255.255.255.255']]);
  for (const server of PG_SERVER_CASES) {
    if (!['pg-compliant', 'pg-no-replica', 'pg-replica', 'exampleserver', 'pg-system-managed-key', 'pg-noncompliant', 'pg-replica-broken', 'pg-replicas-paged', 'pg-replicas-page-fails'].includes(server)) {
      // (pg-vault-rbac included: it is compliant.)
      // Every case but the one about replicas has one, so that each breaks exactly one control.
      arm.add(`${pgServerId(server)}/replicas`, { ...replica, id: `${pgServerId(server)}-replica`, name: `${server}-replica` });
    }
  }

  // ---- MySQL: the server example, with the BYOK update example's dataEncryption and identity
  const mysqlServer = (name: MySqlServerCase, change: (body: Record<string, any>) => void) => {
    const body = exampleBody('mysql-server-get');
    const id = mysqlServerId(name);
    body.id = id;
    body.name = name;
    body.properties.fullyQualifiedDomainName = `${name}.mysql.database.azure.com`;
    if (name !== 'mysqltestserver') {
      body.properties.network = { publicNetworkAccess: 'Disabled' };
      body.properties.privateEndpointConnections = [privateEndpointConnection(id, 'mysqlServer', 'Approved')];
      body.properties.backup = { ...body.properties.backup, backupRetentionDays: 35, geoRedundantBackup: 'Enabled' };
      body.properties.highAvailability = { mode: 'ZoneRedundant', state: 'Healthy', standbyAvailabilityZone: '1' };
      const request = (example('mysql-server-update-byok').parameters as any).parameters;
      const identity = Object.keys(request.identity.userAssignedIdentities)[0];
      const principalId = principalOf(name);
      const keyName = `${name}-key`;
      const keyUri = addKey('mysql-vault', keyName, name === 'mysql-key-expiring' ? (bundle) => (bundle.attributes.exp = nowSeconds() + 30 * DAY_SECONDS) : undefined);
      body.identity = { ...request.identity, principalId, tenantId: AZURE_TENANT_ID, userAssignedIdentities: { [identity]: { principalId, clientId: principalId } } };
      body.properties.dataEncryption = { ...request.properties.dataEncryption, primaryKeyURI: keyUri, primaryUserAssignedIdentityId: identity };
      // The BYOK example's geo-backup key lives in a real vault: here it is a key of the stand-in's, through the same identity.
      body.properties.dataEncryption.geoBackupKeyURI = addKey('mysql-vault', `${name}-geo-key`);
      body.properties.dataEncryption.geoBackupUserAssignedIdentityId = identity;
      grant('mysql-vault', principalId, CMK_PERMISSIONS);
      arm.add(`${id}/replicas`, { ...body, id: `${id}-replica`, name: `${name}-replica`, location: 'East Asia', properties: { ...body.properties, replicationRole: 'Replica' } });
    } else {
      arm.declareEmpty(`${id}/replicas`);
    }
    change(body);
    arm.putListed(id, body);
    arm.add(`/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.DBforMySQL/flexibleServers`, body);
    arm.declareEmpty(`${id}/firewallRules`);
    arm.put(`${id}/advancedThreatProtectionSettings/Default`, threatProtection(id, name === 'mysql-defender-off' || name === 'mysqltestserver' ? 'Disabled' : 'Enabled'));
    if (name === 'mysqltestserver') arm.declareEmpty(`${id}/providers/Microsoft.Insights/diagnosticSettings`);
    else if (name === 'mysql-logs-slow-only') arm.add(`${id}/providers/Microsoft.Insights/diagnosticSettings`, diagnosticSetting(id, 'server-logs', [{ category: 'MySqlAuditLogs', enabled: false }, { category: 'MySqlSlowLogs', enabled: true }]));
    else arm.add(`${id}/providers/Microsoft.Insights/diagnosticSettings`, diagnosticSetting(id, 'server-logs', [{ category: 'MySqlAuditLogs', enabled: true }, { category: 'MySqlSlowLogs', enabled: true }]));
    for (const [parameter, value] of MYSQL_PARAMETERS) arm.putListed(`${id}/configurations/${parameter}`, mysqlConfiguration(id, parameter, value));
    return body;
  };
  for (const name of MYSQL_SERVER_CASES) {
    mysqlServer(name, (body) => {
      if (name === 'mysql-key-inaccessible') body.properties.state = 'Inaccessible';
      if (name === 'mysql-private-endpoint-rejected') body.properties.privateEndpointConnections = [privateEndpointConnection(body.id, 'mysqlServer', 'Rejected')];
    });
  }
  /** Changes one of a MySQL server's parameters in place (the listed body and the resource are one object). */
  const mysqlParameter = (server: MySqlServerCase, parameter: string, change: (properties: Record<string, any>) => void) => {
    const found = arm.get(`${mysqlServerId(server)}/configurations/${parameter}`);
    if (found?.kind !== 'resource') throw new Error(`the stand-in has no parameter ${parameter} on ${server}`);
    change((found.body as { properties: Record<string, any> }).properties);
  };
  mysqlParameter('mysql-audit-log-off', 'audit_log_enabled', (properties) => (properties.value = 'OFF'));
  mysqlParameter('mysql-slow-log-off', 'slow_query_log', (properties) => (properties.value = 'OFF'));
  // Set ON, not yet in force: the service says so in the example's own string form.
  mysqlParameter('mysql-audit-log-pending-restart', 'audit_log_enabled', (properties) => {
    properties.isConfigPendingRestart = 'True';
    properties.isDynamicConfig = 'False';
  });
  mysqlParameter('mysql-tls-version-pending-restart', 'tls_version', (properties) => {
    properties.value = 'TLSv1.3';
    properties.isConfigPendingRestart = 'True';
    properties.isDynamicConfig = 'False';
  });
  for (const rule of exampleBody('mysql-firewall-rules-list').value) {
    rule.id = `${mysqlServerId('mysqltestserver')}/firewallRules/${rule.name}`;
    arm.putListed(rule.id, rule);
  }
  const azureServices = exampleBody('mysql-firewall-rules-list').value[0];
  azureServices.id = `${mysqlServerId('mysql-firewall-azure-services')}/firewallRules/AllowAllWindowsAzureIps`;
  azureServices.name = 'AllowAllWindowsAzureIps';
  azureServices.properties = { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' };
  arm.putListed(azureServices.id, azureServices);

  // ---- The second subscription: a Standard plan above a server whose own setting is Disabled.
  {
    const body = exampleBody('pg-server-get');
    body.id = PG_DEFENDER_DISAGREES_ID;
    body.name = 'pg-defender-disagrees';
    arm.put(body.id, body);
    arm.put(`${body.id}/advancedThreatProtectionSettings/Default`, threatProtection(body.id, 'Disabled'));
    const pricing = exampleBody('defender-pricing-get');
    pricing.id = `/subscriptions/${STANDARD_PLAN_SUBSCRIPTION_ID}/providers/Microsoft.Security/pricings/OpenSourceRelationalDatabases`;
    pricing.name = 'OpenSourceRelationalDatabases';
    // The example is the VirtualMachines plan: its sub-plan and VM extensions do not belong to this one.
    pricing.properties = { pricingTier: 'Standard', freeTrialRemainingTime: pricing.properties.freeTrialRemainingTime, enablementTime: pricing.properties.enablementTime };
    arm.put(pricing.id, pricing);
    arm.declareEmpty(`/subscriptions/${STANDARD_PLAN_SUBSCRIPTION_ID}/resourceGroups/${PG_GROUP}/providers/Microsoft.Security/alerts`);
  }

  // ---- Defender: the subscription's plans as in the list example (open-source databases Free there)
  for (const pricing of exampleBody('defender-pricings-list').value) {
    pricing.id = `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/pricings/${pricing.name}`;
    arm.putListed(pricing.id, pricing);
  }
  // A canned alert for the compliant server, from the alert example with a database alert type.
  const alert = exampleBody('security-alerts-list').value[0];
  alert.id = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${PG_GROUP}/providers/Microsoft.Security/locations/eastus/alerts/2518770965529163669_standin`;
  alert.properties = {
    ...alert.properties,
    alertType: 'SQL.PostgreSQL_BruteForce',
    alertDisplayName: 'Suspected brute force attack using a valid user (Azure stand-in canned alert)',
    compromisedEntity: 'pg-compliant',
    resourceIdentifiers: [{ type: 'AzureResource', azureResourceId: pgServerId('pg-compliant') }],
    status: 'Active',
  };
  arm.add(`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${PG_GROUP}/providers/Microsoft.Security/alerts`, alert);
  arm.add(`/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/alerts`, alert);
  arm.declareEmpty(`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${MYSQL_GROUP}/providers/Microsoft.Security/alerts`);
  // ARM lists an existing resource group's servers of a type it has none of as an empty list, not a 404.
  for (const group of [PG_GROUP, MYSQL_GROUP]) {
    for (const provider of ['Microsoft.DBforPostgreSQL', 'Microsoft.DBforMySQL']) arm.declareEmpty(`/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${group}/providers/${provider}/flexibleServers`);
  }
  return { arm, vaults };
}

/**
 * A private endpoint connection as the server's GET lists it (no official example in the set; per
 * the swagger's PrivateEndpointConnection: groupIds, privateEndpoint.id, privateLinkServiceConnectionState
 * and provisioningState under `properties`).
 */
function privateEndpointConnection(serverId: string, groupId: 'postgresqlServer' | 'mysqlServer', status: 'Approved' | 'Pending' | 'Rejected' | 'Disconnected') {
  const server = serverId.split('/').pop()!;
  const endpoint = `${server}-pe`;
  const group = serverId.split('/')[4];
  return {
    id: `${serverId}/privateEndpointConnections/${endpoint}.${server}`,
    name: `${endpoint}.${server}`,
    type: `${serverId.split('/')[6]}/flexibleServers/privateEndpointConnections`,
    properties: {
      groupIds: [groupId],
      privateEndpoint: { id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${group}/providers/Microsoft.Network/privateEndpoints/${endpoint}` },
      privateLinkServiceConnectionState: { status, description: status === 'Approved' ? 'Auto-approved' : `${status} by the stand-in`, actionsRequired: 'None' },
      provisioningState: 'Succeeded',
    },
  };
}

function threatProtection(serverId: string, state: 'Enabled' | 'Disabled') {
  return { id: `${serverId}/advancedThreatProtectionSettings/Default`, name: 'Default', type: 'Microsoft.DBforPostgreSQL/flexibleServers/advancedThreatProtectionSettings', properties: { state, creationTime: '2025-06-01T18:30:22.123Z' } };
}

/** The shape arm-monitor reads (no official example in the set; per the 2021-05-01-preview swagger). */
function diagnosticSetting(resourceId: string, name: string, logs: Array<Record<string, unknown>>) {
  return {
    id: `${resourceId}/providers/microsoft.insights/diagnosticSettings/${name}`,
    name,
    type: 'Microsoft.Insights/diagnosticSettings',
    properties: {
      workspaceId: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/monitoring/providers/Microsoft.OperationalInsights/workspaces/central-logs`,
      logs: logs.map((log) => ({ ...log, retentionPolicy: { enabled: false, days: 0 } })),
      metrics: [],
    },
  };
}

/** Server parameters as a compliant PostgreSQL server would carry them (values are always strings). */
const PG_PARAMETERS: Array<[string, string, string]> = [
  ['require_secure_transport', 'on', 'Boolean'],
  ['ssl_min_protocol_version', 'TLSv1.2', 'Enumeration'],
  ['log_connections', 'on', 'Boolean'],
  ['log_disconnections', 'on', 'Boolean'],
  ['pgaudit.log', 'DDL,ROLE', 'Set'],
  ['shared_preload_libraries', 'pg_cron,pg_stat_statements,pgaudit', 'Set'],
];

function pgConfiguration(serverId: string, name: string, value: string, dataType: string) {
  const body = exampleBody('pg-configuration-get');
  body.id = `${serverId}/configurations/${name}`;
  body.name = name;
  body.properties = { ...body.properties, value, defaultValue: value, dataType, description: `${name} (Azure stand-in)` };
  return body;
}

const MYSQL_PARAMETERS: Array<[string, string]> = [
  ['require_secure_transport', 'ON'],
  ['tls_version', 'TLSv1.3,TLSv1.2'],
  ['aad_auth_only', 'OFF'],
  ['audit_log_enabled', 'ON'],
  ['audit_log_events', 'CONNECTION,DDL'],
  ['slow_query_log', 'ON'],
];

function mysqlConfiguration(serverId: string, name: string, value: string) {
  const body = exampleBody('mysql-configuration-get');
  body.id = `${serverId}/configurations/${name}`;
  body.name = name;
  body.properties = { ...body.properties, value, defaultValue: value, description: `${name} (Azure stand-in)` };
  return body;
}
