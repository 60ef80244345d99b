import type { ProfileName, Target } from './target.js';

/** A target as declared by a flag or a config entry, before run-wide defaults and checks apply. */
export interface TargetSpec {
  target: Omit<Target, 'profile'> & { profile?: ProfileName };
  password?: string;
  /** Passwords of the other accounts the target declares (auditor, masked role), by account name. */
  accountPasswords?: Record<string, string>;
  /** From the entry's entra.clientSecretEnv; goes to the secret store, never into the target. */
  entraClientSecret?: string;
  /** From the entry's azure.clientSecretEnv; goes to the secret store, never into the target. */
  azureClientSecret?: string;
  /** Where it was declared, for error messages: "--target #1", "targets[2]". */
  field: string;
}
