import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from './config-error.js';
import { parseNetworkDeclaration } from './network-declaration.js';
import { parseEntraLogin } from './entra-config.js';
import { parseAzureDeclaration } from './azure-config.js';
import { parseServerResourceId } from '../probes/plane/resource-id.js';
import { parseProfile } from './profiles.js';
import { parseTargetUrl, positiveInteger } from './target-url.js';
import { DEFAULT_MAX_LOGIN_PATHS, DEFAULT_MIN_CERT_DAYS_LEFT, DEFAULT_TIMEOUT_MS, type AccountAllowLists, type Engine, type LogSourceDeclaration, type ProfileName } from './target.js';
import type { TargetSpec } from './target-spec.js';

const TOP_LEVEL_KEYS = new Set(['profile', 'timeout', 'minCertDays', 'targets']);
const TARGET_KEYS = new Set([
  'name', 'url', 'engine', 'host', 'port', 'user', 'database', 'passwordEnv', 'caFile', 'profile', 'timeout', 'minCertDays',
  'intrusive', 'auditor', 'lockoutUser', 'masking', 'allow', 'network', 'entra', 'maxLoginPaths', 'azure', 'logs',
]);
const LOG_KEYS = new Set(['file', 'files', 'command', 'wait']); // `sql` goes alone: sqlLogSource
const ACCOUNT_KEYS = new Set(['user', 'passwordEnv']);
const MASKING_KEYS = new Set(['role', 'passwordEnv', 'columns']);
const ALLOW_KEYS = new Set(['workload', 'privileged', 'wildcardHosts']);
const COLUMN = /^[^.\s]+\.[^.\s]+\.[^.\s]+$/;
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

function optionalBoolean(mapping: Mapping, key: string, where: string): boolean | undefined {
  const value = mapping[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ConfigError(`${where}.${key}`, 'expected true or false');
  return value;
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) throw new ConfigError(where, 'expected a list of non-empty strings');
  return value as string[];
}

function passwordFromEnv(mapping: Mapping, where: string): string {
  const variable = optionalString(mapping, 'passwordEnv', where);
  if (variable === undefined) throw new ConfigError(`${where}.passwordEnv`, 'name the environment variable that holds this account\'s password');
  const password = process.env[variable];
  if (password === undefined) throw new ConfigError(`${where}.passwordEnv`, `environment variable ${variable} is not set`);
  return password;
}

/** A declared extra account: its name, and its password from the environment. */
function declaredAccount(value: unknown, where: string, nameKey: 'user' | 'role', keys: Set<string>): { user: string; password: string; mapping: Mapping } {
  if (!isMapping(value)) throw new ConfigError(where, `expected a mapping with ${nameKey} and passwordEnv`);
  rejectUnknownKeys(value, keys, where);
  const user = optionalString(value, nameKey, where);
  if (!user) throw new ConfigError(`${where}.${nameKey}`, 'expected an account name');
  return { user, password: passwordFromEnv(value, where), mapping: value };
}

function allowLists(value: unknown, where: string): AccountAllowLists | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMapping(value)) throw new ConfigError(where, `expected a mapping with ${[...ALLOW_KEYS].join(', ')}`);
  rejectUnknownKeys(value, ALLOW_KEYS, where);
  return Object.fromEntries(Object.entries(value).map(([key, list]) => [key, stringList(list, `${where}.${key}`)]));
}

/**
 * Where the server's log or audit trail is read: `file` (one path) or `files` (a list), relative to
 * the config file, or `command` (an argv list, run without a shell); `wait`: how long to poll for a
 * line, in milliseconds.
 */
function logSource(value: unknown, where: string, baseDir: string): LogSourceDeclaration | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMapping(value)) throw new ConfigError(where, 'expected a mapping with file, files or command');
  if (value.sql !== undefined) return sqlLogSource(value, where);
  rejectUnknownKeys(value, LOG_KEYS, where);
  const single = optionalString(value, 'file', where);
  const files = [...(single ? [single] : []), ...(value.files === undefined ? [] : stringList(value.files, `${where}.files`))].map((file) => resolve(baseDir, file));
  const command = value.command === undefined ? undefined : stringList(value.command, `${where}.command`);
  if (command && command.length === 0) throw new ConfigError(`${where}.command`, 'expected the command and its arguments as a non-empty list');
  if (files.length > 0 && command) throw new ConfigError(where, 'declare files or a command, not both');
  if (files.length === 0 && !command) throw new ConfigError(where, 'expected file, files or command');
  const waitMs = value.wait === undefined ? undefined : positiveInteger(value.wait as number, `${where}.wait`, 0);
  return { ...(files.length > 0 ? { files } : { command }), ...(waitMs === undefined ? {} : { waitMs }) };
}

/** `logs: { sql: true, wait }`: the server's own log read over SQL as the auditor, instead of files or a command. */
function sqlLogSource(value: Mapping, where: string): LogSourceDeclaration {
  rejectUnknownKeys(value, new Set(['sql', 'wait']), where);
  if (value.sql !== true) throw new ConfigError(`${where}.sql`, 'expected true (to read the log over SQL), or leave it out');
  const waitMs = value.wait === undefined ? undefined : positiveInteger(value.wait as number, `${where}.wait`, 0);
  return { sql: true, ...(waitMs === undefined ? {} : { waitMs }) };
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
  const azure = entry.azure === undefined ? undefined : parseAzureDeclaration(entry.azure, `${where}.azure`, baseDir);
  const url = optionalString(entry, 'url', where);
  // Plane-only: a server the harness cannot reach on the network still gets its Azure plane controls.
  const planeOnly = azure !== undefined && url === undefined && entry.host === undefined;
  if (planeOnly) return planeOnlyTarget(entry, where, defaults, azure);
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
  const accountPasswords: Record<string, string> = {};
  const auditor = entry.auditor === undefined ? undefined : declaredAccount(entry.auditor, `${where}.auditor`, 'user', ACCOUNT_KEYS);
  if (auditor) accountPasswords[auditor.user] = auditor.password;
  const masked = entry.masking === undefined ? undefined : declaredAccount(entry.masking, `${where}.masking`, 'role', MASKING_KEYS);
  if (masked) accountPasswords[masked.user] = masked.password;
  const columns = masked ? stringList(masked.mapping.columns, `${where}.masking.columns`) : [];
  const badColumn = columns.find((column) => !COLUMN.test(column));
  if (badColumn) throw new ConfigError(`${where}.masking.columns`, `"${badColumn}" is not schema.table.column`);
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
      intrusive: optionalBoolean(entry, 'intrusive', where),
      auditor: auditor?.user,
      lockoutUser: optionalString(entry, 'lockoutUser', where),
      ...(entry.maxLoginPaths === undefined ? {} : { maxLoginPaths: positiveInteger(entry.maxLoginPaths as number, `${where}.maxLoginPaths`, DEFAULT_MAX_LOGIN_PATHS) }),
      masking: masked ? { role: masked.user, columns } : undefined,
      allow: allowLists(entry.allow, `${where}.allow`),
      ...(entry.network === undefined ? {} : { network: parseNetworkDeclaration(entry.network, `${where}.network`) }),
      entra: entra?.entra,
      ...(entry.logs === undefined ? {} : { logs: logSource(entry.logs, `${where}.logs`, baseDir) }),
      ...(fromUrl?.target.sslNegotiation ? { sslNegotiation: fromUrl.target.sslNegotiation } : {}),
      ...(azure ? { azure: azure.azure } : {}),
    },
    password,
    accountPasswords,
    entraClientSecret: entra?.clientSecret,
    azureClientSecret: azure?.clientSecret,
    field: where,
  };
}

/** Keys that only make sense for a server the harness dials. */
const NETWORK_ONLY_KEYS = ['port', 'user', 'database', 'passwordEnv', 'caFile', 'auditor', 'lockoutUser', 'masking', 'network', 'entra', 'intrusive'];

function planeOnlyTarget(
  entry: Mapping,
  where: string,
  defaults: { profile?: ProfileName; timeoutMs: number; minCertDaysLeft: number },
  azure: ReturnType<typeof parseAzureDeclaration>,
): TargetSpec {
  const name = optionalString(entry, 'name', where)!;
  const misplaced = NETWORK_ONLY_KEYS.find((key) => entry[key] !== undefined);
  if (misplaced) throw new ConfigError(`${where}.${misplaced}`, 'a target with only `azure:` (no url or host) is assessed on the Azure plane alone; give a url or host to probe the server itself');
  const server = parseServerResourceId(azure.azure.resourceId)!;
  const engineName = optionalString(entry, 'engine', where);
  if (engineName && ENGINES[engineName] !== server.engine) throw new ConfigError(`${where}.engine`, `the resource id names a ${server.provider} server`);
  return {
    target: {
      name,
      engine: server.engine,
      // Shown in reports only: nothing is dialled for a plane-only target.
      host: server.name,
      port: server.engine === 'postgres' ? 5432 : 3306,
      profile: entry.profile === undefined ? defaults.profile : parseProfile(entry.profile, `${where}.profile`),
      timeoutMs: positiveInteger(entry.timeout as number | undefined, `${where}.timeout`, defaults.timeoutMs),
      minCertDaysLeft: defaults.minCertDaysLeft,
      azure: azure.azure,
      planeOnly: true,
      origin: `Azure plane only (${server.provider}/flexibleServers/${server.name}); the harness does not reach the server on the network`,
    },
    accountPasswords: {},
    azureClientSecret: azure.clientSecret,
    field: where,
  };
}
