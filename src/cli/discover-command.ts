import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CannotObserve, NothingToJudge } from '../controls/observation.js';
import { secretFromVariable } from '../targets/secret-variable.js';
import { ConfigError } from '../targets/config-error.js';
import type { ProfileName } from '../targets/target.js';
import { DEFAULT_TIMEOUT_MS } from '../targets/target.js';
import { rememberAzureClientSecret } from '../targets/secret-store.js';
import { openAzureAccess } from '../probes/plane/plane-session.js';
import { discoverServers } from '../discovery/discover-servers.js';
import { schemaModeline } from '../targets/config-schema-file.js';

export interface DiscoverFlags {
  subscription: string[];
  resourceGroup: string[];
  tag: string[];
  profile: ProfileName;
  out: string;
  user?: string;
  passwordEnv?: string;
  planeOnly: boolean;
  tenantId?: string;
  clientId?: string;
  clientSecretEnv?: string;
  authorityHost?: string;
  armEndpoint?: string;
  keyVaultDnsSuffix?: string;
  caFile?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Lists the flexible servers of the given subscriptions (or resource groups, or tags) and writes a
 * config file with one target per server; the file names credentials (environment variables),
 * never holds one. Returns the lines to print.
 */
/**
 * `withSchemaModeline`: the config names the schema for editors, by a path relative to it. Not for
 * the copy kept with a run's reports, which are archived and moved: the path would dangle there and
 * show where the tool was installed.
 */
export async function discover(flags: DiscoverFlags, { withSchemaModeline = true } = {}): Promise<string[]> {
  if (flags.subscription.length === 0) throw new ConfigError('--subscription', 'name at least one subscription id');
  const badSubscription = flags.subscription.find((id) => !GUID.test(id));
  if (badSubscription) throw new ConfigError('--subscription', `"${badSubscription}" is not a subscription id (a GUID)`);
  const tags = flags.tag.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new ConfigError('--tag', `expected key=value, got "${pair}"`);
    return { key: pair.slice(0, at), value: pair.slice(at + 1) };
  });
  if (flags.passwordEnv && !flags.user) throw new ConfigError('--password-env', 'name the account too (--user)');
  const secret = flags.clientSecretEnv === undefined ? undefined : secretFromVariable(flags.clientSecretEnv, '--client-secret-env');
  if (secret !== undefined) {
    if (!flags.tenantId || !flags.clientId) throw new ConfigError('--client-secret-env', 'a client secret needs --tenant-id and --client-id as well');
    rememberAzureClientSecret('(discover)', secret);
  }
  const azure = {
    tenantId: flags.tenantId,
    clientId: flags.clientId,
    clientSecretEnv: flags.clientSecretEnv,
    authorityHost: flags.authorityHost?.replace(/\/$/, ''),
    armEndpoint: flags.armEndpoint?.replace(/\/$/, ''),
    keyVaultDnsSuffix: flags.keyVaultDnsSuffix,
    caFile: flags.caFile ? resolve(flags.caFile) : undefined,
  };
  let access;
  try {
    access = await openAzureAccess(azure, secret, DEFAULT_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof NothingToJudge || error instanceof CannotObserve) throw new Error(`cannot list servers: ${error.message}`);
    throw error;
  }
  const servers = await discoverServers(access, { subscriptions: flags.subscription, resourceGroups: flags.resourceGroup, tags }).catch((error: unknown) => {
    throw new Error(`cannot list servers: ${error instanceof Error ? error.message : String(error)}`);
  });
  const header = [
    `Written by dbcomply discover from ${access.cloud.label} on ${new Date().toISOString()}:`,
    `${servers.length} flexible servers in ${flags.subscription.join(', ')}${flags.resourceGroup.length ? ` (resource groups ${flags.resourceGroup.join(', ')})` : ''}${tags.length ? ` tagged ${flags.tag.join(', ')}` : ''}.`,
    'Secrets are never written here: each target names the environment variables that hold them.',
  ].join('\n');
  // The YAML writer loads only here: a run that discovers nothing never writes YAML.
  const { discoveredConfig } = await import('../discovery/discovered-config.js');
  const config = discoveredConfig(servers, { profile: flags.profile, user: flags.user, passwordEnv: flags.passwordEnv, planeOnly: flags.planeOnly, azure }, header);
  await writeFile(flags.out, withSchemaModeline ? `${schemaModeline(flags.out)}\n${config}` : config, { mode: 0o644 });
  const count = (engine: string) => servers.filter((server) => server.engine === engine).length;
  return [`dbcomply discover: ${servers.length} servers (${count('postgres')} PostgreSQL, ${count('mysql')} MySQL) on ${access.cloud.label}; config written to ${flags.out}`];
}
