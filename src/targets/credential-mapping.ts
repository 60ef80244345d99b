import { ConfigError } from './config-error.js';

/**
 * The opening of an `entra:` or `azure:` mapping: a mapping with known keys only, never a secret
 * written in the file, and a reader of its non-empty string fields that names the field on error.
 */
export function credentialMapping(
  value: unknown,
  where: string,
  keys: ReadonlySet<string>,
  expected: string,
): { mapping: Record<string, unknown>; text(key: string): string | undefined; clientSecret(tenantId: string | undefined, clientId: string | undefined): string | undefined } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(where, expected);
  const mapping = value as Record<string, unknown>;
  for (const key of Object.keys(mapping)) {
    if (key === 'clientSecret') throw new ConfigError(`${where}.clientSecret`, 'secrets are never written in the config file; name an environment variable in clientSecretEnv');
    if (!keys.has(key)) throw new ConfigError(`${where}.${key}`, `unknown key; expected one of ${[...keys].join(', ')}`);
  }
  const text = (key: string): string | undefined => {
    const field = mapping[key];
    if (field === undefined || field === null) return undefined;
    if (typeof field !== 'string' || field === '') throw new ConfigError(`${where}.${key}`, 'expected a non-empty string');
    return field;
  };
  /** The secret from the environment variable clientSecretEnv names; it needs the tenant and client to go with it. */
  const clientSecret = (tenantId: string | undefined, clientId: string | undefined): string | undefined => {
    const variable = text('clientSecretEnv');
    if (variable === undefined) return undefined;
    const secret = process.env[variable];
    if (secret === undefined) throw new ConfigError(`${where}.clientSecretEnv`, `environment variable ${variable} is not set`);
    if (!tenantId || !clientId) throw new ConfigError(`${where}.clientSecretEnv`, 'a client secret needs tenantId and clientId as well');
    return secret;
  };
  return { mapping, text, clientSecret };
}
