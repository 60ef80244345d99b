import type { LocalServer } from './local-server.js';
import { rememberAccountPassword, rememberEntraClientSecret, rememberPassword } from '../targets/secret-store.js';
import { DEFAULT_MIN_CERT_DAYS_LEFT, DEFAULT_TIMEOUT_MS, type EntraLogin, type ProfileName, type Target } from '../targets/target.js';

/** The stand-in's tokens live seconds, not Entra's hour, so the probe can watch one expire. */
const STAND_IN_EXPIRY_WAIT_MS = 15_000;
const LAB_LOG_WAIT_MS = 5000;

/** The target that assesses a lab server, its passwords registered in the secret store. */
export function targetForLocalServer(name: string, server: LocalServer, profile: ProfileName, intrusive = false): Target {
  rememberPassword(name, server.password);
  const accounts = server.accounts;
  if (accounts) {
    rememberAccountPassword(name, accounts.auditor.user, accounts.auditor.password);
    rememberAccountPassword(name, accounts.masked.role, accounts.masked.password);
  }
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
    intrusive,
    auditor: accounts?.auditor.user,
    lockoutUser: accounts?.lockoutUser,
    masking: accounts ? { role: accounts.masked.role, columns: accounts.masked.columns } : undefined,
    allow: accounts ? { workload: accounts.workload, ...(accounts.privileged.length ? { privileged: accounts.privileged } : {}) } : undefined,
    origin: `local lab server: ${server.engine === 'mysql' ? 'MariaDB' : 'PostgreSQL'} ${server.serverVersion}, configuration "${server.configuration.name}" (${server.configuration.description}), ${server.provider}${server.identityStandIn ? ', with a local identity stand-in for Entra ID' : ''}`,
    entra: standInLogin(name, server),
    // A lab server writes its log on this machine as it happens: 5 s is ample, and keeps a failing run short.
    ...(server.logFiles?.length ? { logs: { files: server.logFiles, waitMs: LAB_LOG_WAIT_MS } } : {}),
    lab: server.lab,
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
