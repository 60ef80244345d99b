import { secretFromVariable } from './secret-variable.js';

/**
 * The client secret of an `entra:` or `azure:` mapping, from the environment variable its
 * clientSecretEnv names (the schema has made sure tenantId and clientId come with it).
 */
export function clientSecretFromEnv(variable: string | null | undefined, where: string): string | undefined {
  if (variable == null) return undefined;
  return secretFromVariable(variable, `${where}.clientSecretEnv`);
}
