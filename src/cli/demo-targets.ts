import { startLocalServer, type LocalServer } from '../fixtures/local-server.js';
import { rememberAccountPassword, rememberPassword } from '../targets/secret-store.js';
import { DEFAULT_MIN_CERT_DAYS_LEFT, DEFAULT_TIMEOUT_MS, type ProfileName, type Target } from '../targets/target.js';

/** The embedded default: a hardened server of each engine, and a deliberately weak one for contrast. */
const DEMO_SERVERS = [
  { name: 'postgres-hardened', engine: 'postgres', configuration: 'hardened' },
  { name: 'mariadb-hardened', engine: 'mysql', configuration: 'hardened' },
  { name: 'postgres-legacy', engine: 'postgres', configuration: 'legacy' },
  { name: 'mariadb-legacy', engine: 'mysql', configuration: 'legacy' },
] as const;

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
    allow: accounts ? { workload: accounts.workload } : undefined,
    origin: `local fixture: ${server.engine === 'mysql' ? 'MariaDB' : 'PostgreSQL'} ${server.serverVersion}, configuration "${server.configuration.name}" (${server.configuration.description}), ${server.provider}`,
  };
}

export async function startDemoTargets(profile: ProfileName, intrusive: boolean): Promise<Target[]> {
  const servers = await Promise.all(DEMO_SERVERS.map((demo) => startLocalServer(demo.engine, demo.configuration)));
  return servers.map((server, index) => targetForLocalServer(DEMO_SERVERS[index].name, server, profile, intrusive));
}
