import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from './config-error.js';
import { parseEntraLogin } from './entra-config.js';
import { parseProfile } from './profiles.js';
import { parseTargetUrl, positiveInteger } from './target-url.js';
import { DEFAULT_MIN_CERT_DAYS_LEFT, DEFAULT_TIMEOUT_MS, type Engine, type ProfileName } from './target.js';
import type { TargetSpec } from './target-spec.js';

const TOP_LEVEL_KEYS = new Set(['profile', 'timeout', 'minCertDays', 'targets']);
const TARGET_KEYS = new Set(['name', 'url', 'engine', 'host', 'port', 'user', 'database', 'passwordEnv', 'caFile', 'profile', 'timeout', 'minCertDays', 'entra']);
const ENGINES: Record<string, Engine> = { postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql' };

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknownKeys(mapping: Mapping, allowed: Set<string>, where: string): void {
  for (const key of Object.keys(mapping)) {
    if (key === 'password') throw new ConfigError(`${where}.password`, 'passwords are never written in the config file; name an environment variable in passwordEnv');
    if (!allowed.has(key)) throw new ConfigError(`${where}.${key}`, `unknown key; expected one of ${[...allowed].join(', ')}`);
  }
}

function optionalString(mapping: Mapping, key: string, where: string): string | undefined {
  const value = mapping[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new ConfigError(`${where}.${key}`, 'expected a non-empty string');
  return value;
}

/**
 * A YAML file listing targets. Passwords come only from environment variables named in passwordEnv;
 * relative CA paths are read relative to the file.
 */
export async function readConfigFile(path: string): Promise<TargetSpec[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('--config', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError(path, `not valid YAML: ${(error as Error).message.split('\n').slice(0, 3).join(' ').trim()}`);
  }
  if (!isMapping(document)) throw new ConfigError(path, 'expected a mapping with a "targets" list');
  rejectUnknownKeys(document, TOP_LEVEL_KEYS, 'config');
  const defaults = {
    profile: document.profile === undefined ? undefined : parseProfile(document.profile, 'config.profile'),
    timeoutMs: positiveInteger(document.timeout as number | undefined, 'config.timeout', DEFAULT_TIMEOUT_MS),
    minCertDaysLeft: positiveInteger(document.minCertDays as number | undefined, 'config.minCertDays', DEFAULT_MIN_CERT_DAYS_LEFT),
  };
  if (!Array.isArray(document.targets) || document.targets.length === 0) throw new ConfigError('config.targets', 'expected a non-empty list of targets');
  return document.targets.map((entry, index) => targetFromEntry(entry, `targets[${index}]`, defaults, dirname(resolve(path))));
}

function targetFromEntry(
  entry: unknown,
  where: string,
  defaults: { profile?: ProfileName; timeoutMs: number; minCertDaysLeft: number },
  baseDir: string,
): TargetSpec {
  if (!isMapping(entry)) throw new ConfigError(where, 'expected a mapping with name and url (or engine and host)');
  rejectUnknownKeys(entry, TARGET_KEYS, where);
  const name = optionalString(entry, 'name', where);
  if (!name) throw new ConfigError(`${where}.name`, 'every target needs a name');
  const url = optionalString(entry, 'url', where);
  const fromUrl = url ? parseTargetUrl(url, `${where}.url`) : undefined;
  if (url && /^[^/]*\/\/[^/@]*:[^/@]*@/.test(url)) throw new ConfigError(`${where}.url`, 'the URL holds a password; passwords are never written in the config file, name an environment variable in passwordEnv');
  const engineName = optionalString(entry, 'engine', where);
  const engine = engineName ? ENGINES[engineName] : fromUrl?.target.engine;
  if (!engine) throw new ConfigError(`${where}.engine`, `expected postgres or mysql (or a url), got "${engineName ?? ''}"`);
  const host = optionalString(entry, 'host', where) ?? fromUrl?.target.host;
  if (!host) throw new ConfigError(`${where}.host`, 'expected a host name or address (or a url)');
  const port = positiveInteger(entry.port as number | undefined, `${where}.port`, fromUrl?.target.port ?? (engine === 'postgres' ? 5432 : 3306));
  if (port > 65535) throw new ConfigError(`${where}.port`, `expected a TCP port up to 65535, got ${port}`);
  const passwordEnv = optionalString(entry, 'passwordEnv', where);
  const password = passwordEnv === undefined ? fromUrl?.password : process.env[passwordEnv];
  if (passwordEnv !== undefined && password === undefined) throw new ConfigError(`${where}.passwordEnv`, `environment variable ${passwordEnv} is not set`);
  const caFile = optionalString(entry, 'caFile', where) ?? fromUrl?.target.caFile;
  const entra = entry.entra === undefined ? undefined : parseEntraLogin(entry.entra, `${where}.entra`, baseDir);
  return {
    target: {
      name,
      engine,
      host,
      port,
      user: optionalString(entry, 'user', where) ?? fromUrl?.target.user,
      database: optionalString(entry, 'database', where) ?? fromUrl?.target.database,
      caFile: caFile ? resolve(baseDir, caFile) : undefined,
      profile: entry.profile === undefined ? defaults.profile : parseProfile(entry.profile, `${where}.profile`),
      timeoutMs: positiveInteger(entry.timeout as number | undefined, `${where}.timeout`, defaults.timeoutMs),
      minCertDaysLeft: positiveInteger(entry.minCertDays as number | undefined, `${where}.minCertDays`, defaults.minCertDaysLeft),
      entra: entra?.entra,
    },
    password,
    entraClientSecret: entra?.clientSecret,
    field: where,
  };
}
