import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { credentialMapping } from './credential-mapping.js';
import { positiveInteger } from './target-url.js';
import type { EntraLogin } from './target.js';

const ENTRA_KEYS = new Set(['user', 'tenantId', 'clientId', 'clientSecretEnv', 'authorityHost', 'caFile', 'expiryWait']);
/** What @azure/identity accepts as a tenant: a GUID or a domain-like name. */
const TENANT_ID = /^[0-9A-Za-z.-]+$/;

/**
 * The `entra:` mapping of a target entry. The client secret, if any, comes only from the
 * environment variable named in clientSecretEnv; relative CA paths are read relative to the file.
 */
export function parseEntraLogin(value: unknown, where: string, baseDir: string): { entra: EntraLogin; clientSecret?: string } {
  const { mapping, text, clientSecret: readClientSecret } = credentialMapping(value, where, ENTRA_KEYS, 'expected a mapping with at least "user"');
  const user = text('user');
  if (!user) throw new ConfigError(`${where}.user`, 'name the role or account of the Entra principal on the server');
  const tenantId = text('tenantId');
  if (tenantId && !TENANT_ID.test(tenantId)) throw new ConfigError(`${where}.tenantId`, 'expected a tenant GUID or domain name');
  const clientId = text('clientId');
  const authorityHost = text('authorityHost');
  if (authorityHost && !/^https:\/\/[^/?#]+\/?$/.test(authorityHost)) {
    throw new ConfigError(`${where}.authorityHost`, 'expected an https:// URL without a path, such as https://login.microsoftonline.com');
  }
  const clientSecret = readClientSecret(tenantId, clientId);
  const caFile = text('caFile');
  return {
    entra: {
      user,
      tenantId,
      clientId,
      authorityHost: authorityHost?.replace(/\/$/, ''),
      caFile: caFile ? resolve(baseDir, caFile) : undefined,
      expiryWaitMs: mapping.expiryWait === undefined ? 0 : positiveInteger(mapping.expiryWait as number, `${where}.expiryWait`, 0),
    },
    clientSecret,
  };
}
