/**
 * Passwords and tokens live here, in process memory only, keyed by target name (and account, for
 * the extra accounts a target declares). They are never put into Cucumber world parameters,
 * because those can surface in the message stream and reports.
 */
const passwords = new Map<string, string>();
const entraClientSecrets = new Map<string, string>();
const azureClientSecrets = new Map<string, string>();
/** Access tokens the run acquired or derived; kept only so that output can be scrubbed of them. */
const tokens = new Set<string>();

/** Bumped whenever a secret is remembered, so that the redactor knows to rebuild its pattern. */
let version = 0;

/** Changes whenever the set of known secrets may have changed. */
export function secretsVersion(): number {
  return version;
}

const accountKey = (targetName: string, user: string) => `${targetName}\u0000${user}`;

export function rememberPassword(targetName: string, password: string): void {
  passwords.set(targetName, password);
  version++;
}

export function passwordFor(targetName: string): string | undefined {
  return passwords.get(targetName);
}

/** The password of a declared account other than the login account (auditor, masked role). */
export function rememberAccountPassword(targetName: string, user: string, password: string): void {
  passwords.set(accountKey(targetName, user), password);
  version++;
}

export function accountPasswordFor(targetName: string, user: string): string | undefined {
  return passwords.get(accountKey(targetName, user));
}

export function rememberEntraClientSecret(targetName: string, secret: string): void {
  entraClientSecrets.set(targetName, secret);
  version++;
}

export function entraClientSecretFor(targetName: string): string | undefined {
  return entraClientSecrets.get(targetName);
}

/** The client secret of the service principal that reads the target's Azure plane (ARM, Key Vault). */
export function rememberAzureClientSecret(targetName: string, secret: string): void {
  azureClientSecrets.set(targetName, secret);
  version++;
}

export function azureClientSecretFor(targetName: string): string | undefined {
  return azureClientSecrets.get(targetName);
}

/** Call as soon as a token exists, before anything could print it. */
export function rememberToken(token: string): void {
  tokens.add(token);
  version++;
}

export function knownSecrets(): string[] {
  return [...passwords.values(), ...entraClientSecrets.values(), ...azureClientSecrets.values(), ...tokens].filter((s) => s.length > 0);
}
