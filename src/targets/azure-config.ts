import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { credentialMapping } from './credential-mapping.js';
import type { AzureDeclaration } from './target.js';
import { parseServerResourceId } from '../probes/plane/resource-id.js';

const AZURE_KEYS = new Set(['resourceId', 'tenantId', 'clientId', 'clientSecretEnv', 'authorityHost', 'armEndpoint', 'keyVaultDnsSuffix', 'caFile']);
const TENANT_ID = /^[0-9A-Za-z.-]+$/;
const HTTPS_ORIGIN = /^https:\/\/[^/?#]+\/?$/;

/**
 * The `azure:` mapping of a target entry. The client secret, if any, comes only from the
 * environment variable named in clientSecretEnv (as for `entra:`); without one the
 * DefaultAzureCredential chain is used. Relative CA paths are read relative to the file.
 */
export function parseAzureDeclaration(value: unknown, where: string, baseDir: string): { azure: AzureDeclaration; clientSecret?: string } {
  const { text, clientSecret: readClientSecret } = credentialMapping(value, where, AZURE_KEYS, 'expected a mapping with at least "resourceId"');
  const resourceId = text('resourceId');
  if (!resourceId || !parseServerResourceId(resourceId)) {
    throw new ConfigError(`${where}.resourceId`, 'expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.DBforPostgreSQL (or Microsoft.DBforMySQL)/flexibleServers/<name>');
  }
  const tenantId = text('tenantId');
  if (tenantId && !TENANT_ID.test(tenantId)) throw new ConfigError(`${where}.tenantId`, 'expected a tenant GUID or domain name');
  const clientId = text('clientId');
  for (const key of ['authorityHost', 'armEndpoint']) {
    const origin = text(key);
    if (origin && !HTTPS_ORIGIN.test(origin)) throw new ConfigError(`${where}.${key}`, 'expected an https:// URL without a path');
  }
  const keyVaultDnsSuffix = text('keyVaultDnsSuffix');
  if (keyVaultDnsSuffix && !/^[a-z0-9.-]+$/i.test(keyVaultDnsSuffix)) throw new ConfigError(`${where}.keyVaultDnsSuffix`, 'expected a DNS suffix such as vault.azure.net');
  const clientSecret = readClientSecret(tenantId, clientId);
  const caFile = text('caFile');
  return {
    azure: {
      resourceId,
      tenantId,
      clientId,
      authorityHost: text('authorityHost')?.replace(/\/$/, ''),
      armEndpoint: text('armEndpoint')?.replace(/\/$/, ''),
      keyVaultDnsSuffix: keyVaultDnsSuffix?.replace(/^\./, ''),
      caFile: caFile ? resolve(baseDir, caFile) : undefined,
    },
    clientSecret,
  };
}
