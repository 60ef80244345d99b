import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { clientSecretFromEnv } from './client-secret.js';
import type { AzureEntry } from './config-schema.js';
import type { AzureDeclaration } from './target.js';
import { parseServerResourceId } from '../probes/plane/resource-id.js';

/**
 * The `azure:` mapping of a target entry, its shape already checked. The client secret, if any,
 * comes only from the environment variable named in clientSecretEnv (as for `entra:`); without one
 * the DefaultAzureCredential chain is used. Relative CA paths are read relative to the file.
 */
export function parseAzureDeclaration(value: AzureEntry, where: string, baseDir: string): { azure: AzureDeclaration; clientSecret?: string } {
  if (!parseServerResourceId(value.resourceId)) {
    throw new ConfigError(`${where}.resourceId`, 'expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.DBforPostgreSQL (or Microsoft.DBforMySQL)/flexibleServers/<name>');
  }
  return {
    azure: {
      resourceId: value.resourceId,
      tenantId: value.tenantId ?? undefined,
      clientId: value.clientId ?? undefined,
      authorityHost: value.authorityHost?.replace(/\/$/, ''),
      armEndpoint: value.armEndpoint?.replace(/\/$/, ''),
      keyVaultDnsSuffix: value.keyVaultDnsSuffix?.replace(/^\./, ''),
      caFile: value.caFile ? resolve(baseDir, value.caFile) : undefined,
    },
    clientSecret: clientSecretFromEnv(value.clientSecretEnv, where),
  };
}
