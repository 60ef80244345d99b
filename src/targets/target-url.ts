import { ConfigError } from './config-error.js';
import { secretFromVariable } from './secret-variable.js';
import { DEFAULT_MAX_LOGIN_PATHS, DEFAULT_MIN_CERT_DAYS_LEFT, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, TLS_NEGOTIATIONS, type Engine, type ProfileName, type Target, type TlsNegotiation } from './target.js';

const ENGINE_BY_SCHEME: Record<string, Engine> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};
const DEFAULT_PORT: Record<Engine, number> = { postgres: 5432, mysql: 3306 };
const CA_PARAMETERS = ['sslrootcert', 'ssl-ca', 'sslca', 'ca'];

export interface ParsedTargetUrl {
  target: Omit<Target, 'name' | 'profile'> & { name?: string; profile?: ProfileName };
  /** The password from the URL, if it had one; goes to the secret store, never into the target. */
  password?: string;
}

/**
 * postgres://user:password@host:port/database?sslrootcert=ca.pem and mysql://... (also postgresql:,
 * mariadb:). Query parameters: sslrootcert (or ssl-ca), passwordEnv, name, timeout (ms), min-cert-days,
 * and for PostgreSQL sslnegotiation (postgres or direct, recorded; both paths are probed anyway) and
 * max-login-paths (the config file's maxLoginPaths, for a target given on the command line).
 * `field` names the flag or config key in error messages; the URL itself is never echoed, as it may hold a password.
 */
export function parseTargetUrl(text: string, field: string): ParsedTargetUrl {
  const notAUrl = new ConfigError(field, 'expected a URL such as postgres://user@host:5432/db or mysql://user@host:3306/db');
  if (!text.includes('://')) throw notAUrl;
  const port = /^[^/]*\/\/[^/?#]*:(\d+)(?:[/?#]|$)/.exec(text)?.[1];
  if (port && Number(port) > 65535) throw new ConfigError(field, `port ${port} is out of range; expected 1-65535`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw notAUrl;
  }
  const engine = ENGINE_BY_SCHEME[url.protocol];
  if (!engine) throw new ConfigError(field, `unknown engine "${url.protocol.replace(':', '')}"; expected postgres, postgresql, mysql or mariadb`);
  if (!url.hostname) throw new ConfigError(field, 'the URL names no host');
  const params = url.searchParams;
  // sslmode is accepted so libpq URLs can be pasted as they are; dbcomply probes with and without TLS itself.
  // sslnegotiation likewise (libpq 17+): recorded, but both negotiation paths are probed.
  const known = new Set([...CA_PARAMETERS, 'name', 'timeout', 'min-cert-days', 'passwordEnv', 'sslmode', 'ssl-mode', 'sslnegotiation', 'max-login-paths']);
  for (const key of params.keys()) {
    if (!known.has(key)) throw new ConfigError(`${field} ?${key}`, `unknown parameter; expected one of ${[...known].join(', ')}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const sslNegotiation = parseSslNegotiation(params.get('sslnegotiation'), engine, `${field} ?sslnegotiation`);
  const maxLoginPaths = params.has('max-login-paths') ? parseMaxLoginPaths(params.get('max-login-paths'), engine, `${field} ?max-login-paths`) : undefined;
  return {
    target: {
      name: params.get('name') ?? undefined,
      engine,
      host,
      port: url.port ? Number(url.port) : DEFAULT_PORT[engine],
      user: url.username ? decodeURIComponent(url.username) : undefined,
      database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
      caFile: CA_PARAMETERS.map((key) => params.get(key)).find((value) => value) ?? undefined,
      timeoutMs: positiveInteger(params.get('timeout'), `${field} ?timeout`, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS),
      minCertDaysLeft: positiveInteger(params.get('min-cert-days'), `${field} ?min-cert-days`, DEFAULT_MIN_CERT_DAYS_LEFT),
      ...(sslNegotiation ? { sslNegotiation } : {}),
      ...(maxLoginPaths ? { maxLoginPaths } : {}),
    },
    password: url.password ? decodeURIComponent(url.password) : passwordFromEnvironment(params.get('passwordEnv'), `${field} ?passwordEnv`),
  };
}

function parseSslNegotiation(value: string | null, engine: Engine, field: string): TlsNegotiation | undefined {
  if (value === null) return undefined;
  if (engine !== 'postgres') throw new ConfigError(field, 'sslnegotiation is a PostgreSQL parameter; MySQL and MariaDB have no direct TLS negotiation');
  if (!(TLS_NEGOTIATIONS as readonly string[]).includes(value)) {
    throw new ConfigError(field, `expected ${TLS_NEGOTIATIONS.join(' or ')}, got "${value}"`);
  }
  return value as TlsNegotiation;
}

function parseMaxLoginPaths(value: string | null, engine: Engine, field: string): number {
  if (engine !== 'postgres') throw new ConfigError(field, 'max-login-paths bounds the PostgreSQL login-path matrix; MySQL and MariaDB have none');
  // The parameter is present, so an empty value is a mistake, not a request for the default.
  if (!value) throw new ConfigError(field, 'expected a positive whole number, got nothing');
  return positiveInteger(value, field, DEFAULT_MAX_LOGIN_PATHS);
}

/** A password named by environment variable, so it appears in neither the command line nor shell history. */
function passwordFromEnvironment(variable: string | null, field: string): string | undefined {
  if (variable === null) return undefined;
  return secretFromVariable(variable, field);
}

export function positiveInteger(value: string | number | null | undefined, field: string, fallback: number, maximum = Number.MAX_SAFE_INTEGER): number {
  if (value === null || value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new ConfigError(field, `expected a positive whole number, got "${value}"`);
  if (number > maximum) throw new ConfigError(field, `expected at most ${maximum}, got "${value}"`);
  return number;
}
