import { resolve } from 'node:path';
import { clientSecretFromEnv } from './client-secret.js';
import type { EntraEntry } from './config-schema.js';
import type { EntraLogin } from './target.js';

/**
 * The `entra:` mapping of a target entry, its shape already checked. The client secret, if any,
 * comes only from the environment variable named in clientSecretEnv; relative CA paths are read
 * relative to the file.
 */
export function parseEntraLogin(value: EntraEntry, where: string, baseDir: string): { entra: EntraLogin; clientSecret?: string } {
  return {
    entra: {
      user: value.user,
      tenantId: value.tenantId ?? undefined,
      clientId: value.clientId ?? undefined,
      authorityHost: value.authorityHost?.replace(/\/$/, ''),
      caFile: value.caFile ? resolve(baseDir, value.caFile) : undefined,
      expiryWaitMs: value.expiryWait ?? 0,
    },
    clientSecret: clientSecretFromEnv(value.clientSecretEnv, where),
  };
}
