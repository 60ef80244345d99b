import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { CONFIG_SCHEMA, type LogsEntry, type TargetEntry } from './config-schema.js';
import { configErrorFromIssues } from './config-issues.js';
import { parseNetworkDeclaration } from './network-declaration.js';
import { parseEntraLogin } from './entra-config.js';
import { parseAzureDeclaration } from './azure-config.js';
import { parseServerResourceId } from '../probes/plane/resource-id.js';
import { parseTargetUrl } from './target-url.js';
import { secretFromVariable } from './secret-variable.js';
import { DEFAULT_MIN_CERT_DAYS_LEFT, DEFAULT_TIMEOUT_MS, type AccountAllowLists, type Engine, type LogSourceDeclaration, type ProfileName } from './target.js';
import type { TargetSpec } from './target-spec.js';

const ENGINES: Record<string, Engine> = { postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql' };

/** The password an account's passwordEnv names (the schema made sure it names one). */
function passwordFromEnv(variable: string, where: string): string {
  return secretFromVariable(variable, `${where}.passwordEnv`);
}

/** The allow lists as written, without the keys written with no value. */
function allowLists(value: TargetEntry['allow']): AccountAllowLists | undefined {
  if (!value) return undefined;
  return Object.fromEntries(Object.entries(value).filter(([, list]) => list != null)) as AccountAllowLists;
}

/**
 * Where the server's log or audit trail is read: `file` (one path) or `files` (a list), relative to
 * the config file, or `command` (an argv list, run without a shell); `wait`: how long to poll for a
 * line, in milliseconds; or `sql: true`, the server's own log read over SQL. The schema has made sure
 * it is exactly one of these.
 */
function logSource(value: LogsEntry | null | undefined, baseDir: string): LogSourceDeclaration | undefined {
  if (!value) return undefined;
  const waitMs = value.wait == null ? {} : { waitMs: value.wait };
  if (value.sql) return { sql: true, ...waitMs };
  const files = [...(value.file ? [value.file] : []), ...(value.files ?? [])].map((file) => resolve(baseDir, file));
  return { ...(files.length > 0 ? { files } : { command: value.command! }), ...waitMs };
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
  // Loaded here: a run with --target URLs alone never reads YAML.
  const { parse } = await import('yaml');
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError(path, `not valid YAML: ${(error as Error).message.split('\n').slice(0, 3).join(' ').trim()}`);
  }
  const parsed = CONFIG_SCHEMA.safeParse(document);
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, path);
  const config = parsed.data;
  const defaults = {
    profile: config.profile ?? undefined,
    timeoutMs: config.timeout ?? DEFAULT_TIMEOUT_MS,
    minCertDaysLeft: config.minCertDays ?? DEFAULT_MIN_CERT_DAYS_LEFT,
  };
  return config.targets.map((entry, index) => targetFromEntry(entry, `targets[${index}]`, defaults, dirname(resolve(path))));
}

type Defaults = { profile?: ProfileName; timeoutMs: number; minCertDaysLeft: number };

/** One entry, its shape already checked: what needs the world (URL, environment, resource id) is checked here. */
function targetFromEntry(entry: TargetEntry, where: string, defaults: Defaults, baseDir: string): TargetSpec {
  const { name } = entry;
  const azure = entry.azure ? parseAzureDeclaration(entry.azure, `${where}.azure`, baseDir) : undefined;
  const url = entry.url ?? undefined;
  // Plane-only: a server the harness cannot reach on the network still gets its Azure plane controls.
  const planeOnly = azure !== undefined && url === undefined && entry.host == null;
  if (planeOnly) return planeOnlyTarget(entry, where, defaults, azure);
  const fromUrl = url ? parseTargetUrl(url, `${where}.url`) : undefined;
  if (url && /^[^/]*\/\/[^/@]*:[^/@]*@/.test(url)) throw new ConfigError(`${where}.url`, 'the URL holds a password; passwords are never written in the config file, name an environment variable in passwordEnv');
  const engine = entry.engine ? ENGINES[entry.engine] : fromUrl?.target.engine;
  if (!engine) throw new ConfigError(`${where}.engine`, 'expected postgres or mysql (or a url), got ""');
  const host = entry.host ?? fromUrl?.target.host;
  if (!host) throw new ConfigError(`${where}.host`, 'expected a host name or address (or a url)');
  const port = entry.port ?? fromUrl?.target.port ?? (engine === 'postgres' ? 5432 : 3306);
  const passwordEnv = entry.passwordEnv ?? undefined;
  const password = passwordEnv === undefined ? fromUrl?.password : secretFromVariable(passwordEnv, `${where}.passwordEnv`);
  const caFile = entry.caFile ?? fromUrl?.target.caFile;
  const accountPasswords: Record<string, string> = {};
  if (entry.auditor) accountPasswords[entry.auditor.user] = passwordFromEnv(entry.auditor.passwordEnv, `${where}.auditor`);
  if (entry.masking) accountPasswords[entry.masking.role] = passwordFromEnv(entry.masking.passwordEnv, `${where}.masking`);
  const entra = entry.entra ? parseEntraLogin(entry.entra, `${where}.entra`, baseDir) : undefined;
  return {
    target: {
      name,
      engine,
      host,
      port,
      user: entry.user ?? fromUrl?.target.user,
      database: entry.database ?? fromUrl?.target.database,
      caFile: caFile ? resolve(baseDir, caFile) : undefined,
      profile: entry.profile ?? defaults.profile,
      timeoutMs: entry.timeout ?? defaults.timeoutMs,
      minCertDaysLeft: entry.minCertDays ?? defaults.minCertDaysLeft,
      intrusive: entry.intrusive ?? undefined,
      auditor: entry.auditor?.user,
      lockoutUser: entry.lockoutUser ?? undefined,
      ...((entry.maxLoginPaths ?? fromUrl?.target.maxLoginPaths) == null ? {} : { maxLoginPaths: entry.maxLoginPaths ?? fromUrl?.target.maxLoginPaths }),
      ...(entry.maxAccessDays == null ? {} : { maxAccessDays: entry.maxAccessDays }),
      ...(entry.minBinaryLogDays == null ? {} : { minBinaryLogDays: entry.minBinaryLogDays }),
      masking: entry.masking ? { role: entry.masking.role, columns: entry.masking.columns } : undefined,
      allow: allowLists(entry.allow),
      ...(entry.network ? { network: parseNetworkDeclaration(entry.network, `${where}.network`) } : {}),
      entra: entra?.entra,
      ...(entry.logs ? { logs: logSource(entry.logs, baseDir) } : {}),
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
const NETWORK_ONLY_KEYS = ['port', 'user', 'database', 'passwordEnv', 'caFile', 'auditor', 'lockoutUser', 'masking', 'network', 'entra', 'intrusive'] as const;

function planeOnlyTarget(entry: TargetEntry, where: string, defaults: Defaults, azure: ReturnType<typeof parseAzureDeclaration>): TargetSpec {
  const misplaced = NETWORK_ONLY_KEYS.find((key) => entry[key] != null);
  if (misplaced) throw new ConfigError(`${where}.${misplaced}`, 'a target with only `azure:` (no url or host) is assessed on the Azure plane alone; give a url or host to probe the server itself');
  const server = parseServerResourceId(azure.azure.resourceId)!;
  if (entry.engine && ENGINES[entry.engine] !== server.engine) throw new ConfigError(`${where}.engine`, `the resource id names a ${server.provider} server`);
  return {
    target: {
      name: entry.name,
      engine: server.engine,
      // Shown in reports only: nothing is dialled for a plane-only target.
      host: server.name,
      port: server.engine === 'postgres' ? 5432 : 3306,
      profile: entry.profile ?? defaults.profile,
      timeoutMs: entry.timeout ?? defaults.timeoutMs,
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
