import { startLocalServer, type LocalServer } from '../fixtures/local-server.js';
import { rememberEntraClientSecret, rememberPassword } from '../targets/secret-store.js';
import { DEFAULT_MIN_CERT_DAYS_LEFT, DEFAULT_TIMEOUT_MS, type EntraLogin, type ProfileName, type Target } from '../targets/target.js';

/** The stand-in's tokens live seconds, not Entra's hour, so the probe can watch one expire. */
const STAND_IN_EXPIRY_WAIT_MS = 15_000;

/** The embedded default: a hardened server of each engine, and a deliberately weak one for contrast. */
const DEMO_SERVERS = [
  { name: 'postgres-hardened', engine: 'postgres', configuration: 'hardened' },
  { name: 'mariadb-hardened', engine: 'mysql', configuration: 'hardened' },
  { name: 'postgres-legacy', engine: 'postgres', configuration: 'legacy' },
  { name: 'mariadb-legacy', engine: 'mysql', configuration: 'legacy' },
] as const;

export function targetForLocalServer(name: string, server: LocalServer, profile: ProfileName): Target {
  rememberPassword(name, server.password);
  return {
    name,
    engine: server.engine,
    host: server.host,
    port: server.port,
    user: server.user,
    database: server.database,
    caFile: server.caFile,
    profile,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    minCertDaysLeft: DEFAULT_MIN_CERT_DAYS_LEFT,
    origin: `local fixture: ${server.engine === 'mysql' ? 'MariaDB' : 'PostgreSQL'} ${server.serverVersion}, configuration "${server.configuration.name}" (${server.configuration.description}), ${server.provider}${server.identityStandIn ? ', with a local identity stand-in for Entra ID' : ''}`,
    entra: standInLogin(name, server),
  };
}

function standInLogin(name: string, server: LocalServer): EntraLogin | undefined {
  const standIn = server.identityStandIn;
  if (!standIn) return undefined;
  rememberEntraClientSecret(name, standIn.clientSecret);
  return {
    user: standIn.principal,
    tenantId: standIn.tenantId,
    clientId: standIn.clientId,
    authorityHost: standIn.authorityHost,
    caFile: standIn.caFile,
    expiryWaitMs: STAND_IN_EXPIRY_WAIT_MS,
  };
}

export async function startDemoTargets(profile: ProfileName): Promise<Target[]> {
  const servers = await Promise.all(DEMO_SERVERS.map((demo) => startLocalServer(demo.engine, demo.configuration)));
  return servers.map((server, index) => targetForLocalServer(DEMO_SERVERS[index].name, server, profile));
}
