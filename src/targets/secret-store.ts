/**
 * Passwords and tokens live here, in process memory only, keyed by target name. They are never put
 * into Cucumber world parameters, because those can surface in the message stream and reports.
 */
const passwords = new Map<string, string>();

export function rememberPassword(targetName: string, password: string): void {
  passwords.set(targetName, password);
}

export function passwordFor(targetName: string): string | undefined {
  return passwords.get(targetName);
}

export function knownSecrets(): string[] {
  return [...passwords.values()].filter((s) => s.length > 0);
}
