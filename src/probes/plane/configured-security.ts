import type { Engine } from '../../targets/target.js';
import { TLS_VERSIONS, type TlsVersion } from '../../tls/versions.js';
import type { TargetContext } from '../target-context.js';
import { auditedClasses } from '../audit/audit-extension.js';
import { connectionAspects, knownConnectionAspects } from '../audit/connection-aspects.js';
import { serverFacts, serverParameters, type ServerFacts } from './server-facts.js';

/**
 * What Azure says the server is configured to do, parsed from the values exactly as the service
 * returns them: MySQL's "ON"/"OFF" and comma lists in any order and case, PostgreSQL's "on"/"off",
 * its authConfig switches. A parameter this server version does not have stays undefined (not off),
 * and its absence is listed.
 */
export interface ConfiguredSecurity {
  plane: string;
  engine: Engine;
  requireSecureTransport?: boolean;
  /** TLS versions the configuration allows (MySQL tls_version; PostgreSQL: ssl_min_protocol_version and up). */
  allowedTls?: TlsVersion[];
  /** Entra-only authentication (PostgreSQL authConfig passwordAuth Disabled; MySQL aad_auth_only ON). */
  entraOnly?: boolean;
  /**
   * PostgreSQL log_connections, as the aspects it logs (sorted): 'on' is receipt, authentication
   * and authorization, as PostgreSQL 18 reads it; 18's lists as they are. Undefined when not read or
   * when the value holds a word PostgreSQL does not take.
   */
  logConnections?: string[];
  /**
   * MySQL audit_log_enabled; PostgreSQL: pgaudit in shared_preload_libraries and a pgaudit.log that
   * audits some class (Azure's default pgaudit.log is 'none': preloaded, it audits nothing).
   * Undefined when either is not read.
   */
  auditEnabled?: boolean;
  /** MySQL audit_log_events or PostgreSQL pgaudit.log, upper-cased. */
  auditEvents?: string[];
  preloadLibraries?: string[];
  /** The parameters read, as returned; and the ones asked for that this server does not have. */
  parameters: Record<string, string>;
  absent: string[];
  /** Parameters read whose value is not in force yet (pending a restart), with why: the value says what will be, not what is. */
  notInEffect: Record<string, string>;
}

const TRUE_WORDS = ['on', 'true', '1', 'yes', 'enabled'];
const FALSE_WORDS = ['off', 'false', '0', 'no', 'disabled'];

/** "ON", "on", "True", "1" → true; "OFF", "off", "False", "0" → false; anything else (or absent) → undefined. */
export function parseFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return undefined;
}

export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

/** "tlsv1.2" → "TLSv1.2", "TLSv1.0"/"TLSv1" → "TLSv1"; unknown names are dropped. */
export function parseTlsVersion(name: string): TlsVersion | undefined {
  const normalised = name.trim().toLowerCase().replace(/^tlsv?/, '').replace(/^1\.0$/, '1');
  return TLS_VERSIONS.find((version) => version.toLowerCase().replace(/^tlsv/, '') === normalised);
}

const PARAMETERS: Record<Engine, string[]> = {
  postgres: ['require_secure_transport', 'ssl_min_protocol_version', 'log_connections', 'pgaudit.log', 'shared_preload_libraries'],
  mysql: ['require_secure_transport', 'tls_version', 'aad_auth_only', 'audit_log_enabled', 'audit_log_events'],
};

export function interpretConfiguration(
  engine: Engine,
  parameters: ReadonlyMap<string, string>,
  authConfig: ServerFacts['authConfig'],
  plane: string,
  notInEffect: ReadonlyMap<string, string> = new Map(),
): ConfiguredSecurity {
  const read = (name: string) => parameters.get(name.toLowerCase());
  const wanted = PARAMETERS[engine];
  const found = Object.fromEntries(wanted.filter((name) => read(name) !== undefined).map((name) => [name, read(name)!]));
  const absent = wanted.filter((name) => read(name) === undefined);
  const pending = Object.fromEntries(wanted.filter((name) => read(name) !== undefined && notInEffect.has(name.toLowerCase())).map((name) => [name, notInEffect.get(name.toLowerCase())!]));
  const configured: ConfiguredSecurity = { plane, engine, requireSecureTransport: parseFlag(read('require_secure_transport')), parameters: found, absent, notInEffect: pending };
  if (engine === 'mysql') {
    const versions = parseList(read('tls_version'));
    configured.allowedTls = versions?.map(parseTlsVersion).filter((version): version is TlsVersion => version !== undefined).sort((a, b) => TLS_VERSIONS.indexOf(a) - TLS_VERSIONS.indexOf(b));
    configured.entraOnly = parseFlag(read('aad_auth_only'));
    configured.auditEnabled = parseFlag(read('audit_log_enabled'));
    configured.auditEvents = parseList(read('audit_log_events'))?.map((event) => event.toUpperCase());
  } else {
    const minimum = read('ssl_min_protocol_version');
    const minimumVersion = minimum ? parseTlsVersion(minimum) : undefined;
    configured.allowedTls = minimumVersion ? TLS_VERSIONS.slice(TLS_VERSIONS.indexOf(minimumVersion)) : undefined;
    if (authConfig?.passwordAuth) configured.entraOnly = authConfig.passwordAuth.toLowerCase() === 'disabled' && authConfig.activeDirectoryAuth?.toLowerCase() === 'enabled';
    const logConnections = read('log_connections');
    if (logConnections !== undefined && knownConnectionAspects(logConnections)) configured.logConnections = [...connectionAspects(logConnections)].sort();
    configured.preloadLibraries = parseList(read('shared_preload_libraries'))?.map((library) => library.toLowerCase());
    const pgauditLog = read('pgaudit.log');
    const preloaded = configured.preloadLibraries?.includes('pgaudit');
    configured.auditEnabled = preloaded === false ? false : preloaded && pgauditLog !== undefined ? auditedClasses(pgauditLog).size > 0 : undefined;
    configured.auditEvents = parseList(read('pgaudit.log'))?.map((event) => event.toUpperCase());
  }
  return configured;
}

/** The server's security configuration as Azure Resource Manager reports it; read once per run. */
export function configuredSecurity(context: TargetContext): Promise<ConfiguredSecurity> {
  return context.once('plane:configured-security', async () => {
    const [facts, parameters] = await Promise.all([serverFacts(context), serverParameters(context)]);
    const values = new Map([...parameters].map(([name, parameter]) => [name, parameter.value]));
    const notInEffect = new Map([...parameters].filter(([, parameter]) => parameter.notInEffect).map(([name, parameter]) => [name, parameter.notInEffect!]));
    return interpretConfiguration(facts.engine, values, facts.authConfig, facts.plane, notInEffect);
  });
}
