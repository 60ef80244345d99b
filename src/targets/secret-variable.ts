import { ConfigError } from './config-error.js';

/**
 * The secret an environment variable holds, for a passwordEnv or clientSecretEnv. Unset is an error,
 * and so is empty: a CI secret that does not exist (GitHub Actions' `${{ secrets.TYPO }}`) expands to
 * an empty string, and the run then failed every login with the driver's words ("client password
 * must be a string") instead of naming the variable.
 */
export function secretFromVariable(variable: string, field: string): string {
  const value = process.env[variable];
  if (value === undefined) throw new ConfigError(field, `environment variable ${variable} is not set`);
  if (value === '') throw new ConfigError(field, `environment variable ${variable} is empty (a CI secret that does not exist expands to an empty string)`);
  return value;
}
