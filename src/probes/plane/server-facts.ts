import type { Engine } from '../../targets/target.js';
import type { TargetContext } from '../target-context.js';
import { CannotObserve } from '../check.js';
import { mysqlClient, postgresClient } from './plane-clients.js';
import { listAll, planeRead, ROLES } from './plane-errors.js';
import { planeSession, type PlaneSession } from './plane-session.js';
import { armListFrom } from './arm-get.js';

/**
 * A flexible server as ARM describes it, the same shape for PostgreSQL and MySQL, with every
 * value as the service returned it (strings stay strings; an absent field stays absent).
 */
export interface ServerFacts {
  /** Which cloud answered, e.g. "Azure stand-in at https://127.0.0.1:40123 (not Azure)". */
  plane: string;
  id: string;
  name: string;
  engine: Engine;
  location?: string;
  version?: string;
  state?: string;
  publicNetworkAccess?: string;
  /** VNet integration: the subnet delegated to the server, whose own private address it then is (no private endpoint involved). */
  delegatedSubnetResourceId?: string;
  /**
   * The private endpoint connections ARM lists on the server; undefined when its answer has no
   * such list at all (which is not the same as an empty one).
   */
  privateEndpointConnections?: PrivateEndpointConnectionFacts[];
  backupRetentionDays?: number;
  geoRedundantBackup?: string;
  highAvailability?: { mode?: string; state?: string };
  /** The zone the server sits in: a zone means its region has zones; "" is ARM's "none" (a region without zones). */
  availabilityZone?: string;
  replicationRole?: string;
  sourceServerId?: string;
  dataEncryption?: {
    type?: string;
    primaryKeyUri?: string;
    primaryIdentityId?: string;
    keyStatus?: string;
    /** The key and identity that encrypt the geo-redundant backup copies (in the paired region), when geo-redundant backup is on. */
    geoBackupKeyUri?: string;
    geoBackupIdentityId?: string;
    geoBackupKeyStatus?: string;
  };
  identity?: { type?: string; tenantId?: string; userAssigned: Record<string, { principalId?: string; clientId?: string }> };
  /** PostgreSQL only: Entra and password authentication switches. */
  authConfig?: { activeDirectoryAuth?: string; passwordAuth?: string; tenantId?: string };
}

/** One private endpoint connection, as ARM lists it on the server. */
export interface PrivateEndpointConnectionFacts {
  name: string;
  /** The private endpoint's resource id. */
  privateEndpointId?: string;
  /** privateLinkServiceConnectionState.status: "Approved", "Pending", "Rejected", "Disconnected". */
  status?: string;
  /** "Succeeded", "Creating", "Deleting", "Failed". */
  provisioningState?: string;
}

/** The server resource, read once per run and shared by every plane check. */
export function serverFacts(context: TargetContext): Promise<ServerFacts> {
  return context.once('plane:server', async () => readServerFacts(await planeSession(context)));
}

export async function readServerFacts(session: PlaneSession): Promise<ServerFacts> {
  const { resourceGroup, name, engine } = session.server;
  const what = `the ${engine === 'postgres' ? 'PostgreSQL' : 'MySQL'} flexible server ${name}`;
  const raw = engine === 'postgres'
    ? await planeRead(session, what, ROLES.armReader, async (abortSignal) => (await postgresClient(session)).servers.get(resourceGroup, name, { abortSignal }), true)
    : await planeRead(session, what, ROLES.armReader, async (abortSignal) => (await mysqlClient(session)).servers.get(resourceGroup, name, { abortSignal }), true);
  if (!raw) throw new CannotObserve(`${session.cloud.label} has no ${what} (HTTP 404): check azure.resourceId`);
  const server = raw as unknown as Record<string, any>;
  const identity = server.identity as Record<string, any> | undefined;
  return {
    plane: session.cloud.label,
    id: server.id ?? session.server.id,
    name: server.name ?? name,
    engine,
    location: server.location,
    version: server.version,
    state: server.state,
    publicNetworkAccess: server.network?.publicNetworkAccess,
    delegatedSubnetResourceId: server.network?.delegatedSubnetResourceId || undefined,
    privateEndpointConnections: Array.isArray(server.privateEndpointConnections) ? (server.privateEndpointConnections as Array<Record<string, any>>).map(privateEndpointConnectionFacts) : undefined,
    backupRetentionDays: server.backup?.backupRetentionDays,
    geoRedundantBackup: server.backup?.geoRedundantBackup,
    highAvailability: server.highAvailability ? { mode: server.highAvailability.mode, state: server.highAvailability.state } : undefined,
    availabilityZone: server.availabilityZone,
    replicationRole: server.replicationRole ?? server.replica?.role,
    sourceServerId: server.sourceServerResourceId ?? server.replica?.sourceServerResourceId,
    dataEncryption: server.dataEncryption
      ? {
          type: server.dataEncryption.type,
          primaryKeyUri: server.dataEncryption.primaryKeyURI ?? server.dataEncryption.primaryKeyUri,
          primaryIdentityId: server.dataEncryption.primaryUserAssignedIdentityId ?? server.dataEncryption.primaryUserAssignedIdentityID,
          keyStatus: server.dataEncryption.primaryEncryptionKeyStatus,
          geoBackupKeyUri: server.dataEncryption.geoBackupKeyURI ?? server.dataEncryption.geoBackupKeyUri,
          geoBackupIdentityId: server.dataEncryption.geoBackupUserAssignedIdentityId ?? server.dataEncryption.geoBackupUserAssignedIdentityID,
          geoBackupKeyStatus: server.dataEncryption.geoBackupEncryptionKeyStatus,
        }
      : undefined,
    identity: identity
      ? {
          type: identity.type,
          tenantId: identity.tenantId,
          userAssigned: Object.fromEntries(
            Object.entries((identity.userAssignedIdentities ?? {}) as Record<string, any>).map(([id, value]) => [id, { principalId: value?.principalId, clientId: value?.clientId }]),
          ),
        }
      : undefined,
    authConfig: server.authConfig ? { activeDirectoryAuth: server.authConfig.activeDirectoryAuth, passwordAuth: server.authConfig.passwordAuth, tenantId: server.authConfig.tenantId } : undefined,
  };
}

/** A connection as the SDK returns it (properties flattened) or as ARM's JSON has it (under `properties`). */
function privateEndpointConnectionFacts(connection: Record<string, any>): PrivateEndpointConnectionFacts {
  const properties = (connection.properties ?? connection) as Record<string, any>;
  return {
    name: connection.name ?? String(connection.id ?? '(unnamed)').split('/').pop(),
    privateEndpointId: properties.privateEndpoint?.id,
    status: properties.privateLinkServiceConnectionState?.status,
    provisioningState: properties.provisioningState,
  };
}

/** A firewall rule as ARM lists it. */
export interface FirewallRule {
  name: string;
  startIpAddress: string;
  endIpAddress: string;
}

export function firewallRules(context: TargetContext): Promise<FirewallRule[]> {
  return context.once('plane:firewall', async () => {
    const session = await planeSession(context);
    const { resourceGroup, name, engine } = session.server;
    const rules = await planeRead(session, `the firewall rules of ${name}`, ROLES.armReader, async (abortSignal) =>
      engine === 'postgres'
        ? listAll((await postgresClient(session)).firewallRules.listByServer(resourceGroup, name, { abortSignal }))
        : listAll((await mysqlClient(session)).firewallRules.listByServer(resourceGroup, name, { abortSignal })),
    );
    return (rules ?? []).map((rule) => ({ name: rule.name ?? '(unnamed)', startIpAddress: rule.startIpAddress, endIpAddress: rule.endIpAddress }));
  });
}

export interface ReplicaFacts {
  name: string;
  location?: string;
  replicationRole?: string;
  /** The replica server's state ("Ready", "Stopped", "Dropping"...), as ARM lists it. */
  state?: string;
  /** PostgreSQL only: whether it still replicates ("Active", "Catchup", "Broken"...). */
  replicationState?: string;
}

export function replicas(context: TargetContext): Promise<ReplicaFacts[]> {
  return context.once('plane:replicas', async () => {
    const session = await planeSession(context);
    const { resourceGroup, name, engine } = session.server;
    const what = `the read replicas of ${name}`;
    // arm-postgresql-flexible reads Replicas_ListByServer as one page and drops a nextLink: the
    // rest is followed here (through the same pipeline), so that a later page is never lost.
    let droppedNextLink: string | undefined;
    const onResponse = (raw: { bodyAsText?: string | null }) => {
      droppedNextLink = nextLinkIn(raw.bodyAsText);
    };
    const found = await planeRead(session, what, ROLES.armReader, async (abortSignal) =>
      engine === 'postgres'
        ? listAll((await postgresClient(session)).replicas.listByServer(resourceGroup, name, { onResponse, abortSignal }))
        : listAll((await mysqlClient(session)).replicas.listByServer(resourceGroup, name, { abortSignal })),
    );
    const rest = engine === 'postgres' && droppedNextLink ? await armListFrom<Record<string, any>>(session, droppedNextLink, what, ROLES.armReader, 2) : [];
    return [...((found ?? []) as Array<Record<string, any>>), ...rest].map(replicaFacts);
  });
}

/** A replica as the SDK returns it (properties flattened) or as ARM's JSON has it (under `properties`). */
function replicaFacts(replica: Record<string, any>): ReplicaFacts {
  const properties = (replica.properties ?? replica) as Record<string, any>;
  return {
    name: replica.name,
    location: replica.location,
    replicationRole: properties.replicationRole ?? properties.replica?.role,
    state: properties.state,
    replicationState: properties.replica?.replicationState,
  };
}

function nextLinkIn(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const nextLink = (JSON.parse(body) as { nextLink?: unknown }).nextLink;
    return typeof nextLink === 'string' && nextLink ? nextLink : undefined;
  } catch {
    return undefined;
  }
}

/** The server's own advanced threat protection (Defender at resource level): "Enabled", "Disabled", or undefined when absent. */
export function serverThreatProtection(context: TargetContext): Promise<string | undefined> {
  return context.once('plane:threat-protection', async () => {
    const session = await planeSession(context);
    const { resourceGroup, name, engine } = session.server;
    const setting = await planeRead(
      session,
      `the advanced threat protection setting of ${name}`,
      ROLES.armReader,
      async (abortSignal) =>
        engine === 'postgres'
          ? (await postgresClient(session)).advancedThreatProtectionSettings.get(resourceGroup, name, 'Default', { abortSignal })
          : (await mysqlClient(session)).advancedThreatProtectionSettings.get(resourceGroup, name, 'Default', { abortSignal }),
      true,
    );
    return (setting as Record<string, any> | undefined)?.state;
  });
}

/** One server parameter as ARM returned it. */
export interface ServerParameter {
  /** The value set, exactly as ARM returned it (always a string). */
  value: string;
  /**
   * Why the value set is not what the server runs with, when ARM says so: a static parameter
   * changed and waiting for a restart (isConfigPendingRestart, a boolean on PostgreSQL, "True" on
   * MySQL), or MySQL's currentValue differing from the value. Undefined when it is in force.
   */
  notInEffect?: string;
}

/**
 * Server parameters by name (lower case). A parameter this server version does not have is absent
 * from the map, which is not the same as off.
 */
export function serverParameters(context: TargetContext): Promise<Map<string, ServerParameter>> {
  return context.once('plane:parameters', async () => {
    const session = await planeSession(context);
    const { resourceGroup, name, engine } = session.server;
    const all = await planeRead(session, `the server parameters of ${name}`, ROLES.armReader, async (abortSignal) =>
      engine === 'postgres'
        ? listAll((await postgresClient(session)).configurations.listByServer(resourceGroup, name, { abortSignal }))
        : listAll((await mysqlClient(session)).configurations.listByServer(resourceGroup, name, { abortSignal })),
    );
    return new Map(
      (all ?? [])
        .filter((parameter) => parameter.name && parameter.value !== undefined)
        .map((parameter) => [parameter.name!.toLowerCase(), parameterFacts(parameter as unknown as Record<string, unknown>)]),
    );
  });
}

export function parameterFacts(parameter: Record<string, unknown>): ServerParameter {
  const value = String(parameter.value);
  const pending = parameter.isConfigPendingRestart;
  if (pending === true || String(pending).trim().toLowerCase() === 'true') return { value, notInEffect: `pending a restart (isConfigPendingRestart ${String(pending)})` };
  const current = parameter.currentValue;
  if (current !== undefined && current !== null && !sameSetting(String(current), value)) return { value, notInEffect: `not what the server runs with (currentValue ${String(current)})` };
  return { value };
}

/** "ON" and "on", or "TLSv1.2,TLSv1.3" and "tlsv1.3, TLSv1.2", name the same setting. */
function sameSetting(a: string, b: string): boolean {
  const items = (value: string) => value.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean).sort().join(',');
  return items(a) === items(b);
}
