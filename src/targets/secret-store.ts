/**
 * Passwords and tokens live here, in process memory only, keyed by target name. They are never put
 * into Cucumber world parameters, because those can surface in the message stream and reports.
 */
const passwords = new Map<string, string>();
const entraClientSecrets = new Map<string, string>();
/** Access tokens the run acquired or derived; kept only so that output can be scrubbed of them. */
const tokens = new Set<string>();

export function rememberPassword(targetName: string, password: string): void {
  passwords.set(targetName, password);
}

export function passwordFor(targetName: string): string | undefined {
  return passwords.get(targetName);
}

export function rememberEntraClientSecret(targetName: string, secret: string): void {
  entraClientSecrets.set(targetName, secret);
}

export function entraClientSecretFor(targetName: string): string | undefined {
  return entraClientSecrets.get(targetName);
}

/** Call as soon as a token exists, before anything could print it. */
export function rememberToken(token: string): void {
  tokens.add(token);
}

export function knownSecrets(): string[] {
  return [...passwords.values(), ...entraClientSecrets.values(), ...tokens].filter((s) => s.length > 0);
}
