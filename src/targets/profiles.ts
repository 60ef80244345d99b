import { ConfigError } from './config-error.js';
import type { ProfileName } from './target.js';

export const PROFILES: ProfileName[] = ['baseline', 'strict'];

export function parseProfile(value: unknown, field: string): ProfileName {
  if (typeof value === 'string' && (PROFILES as string[]).includes(value)) return value as ProfileName;
  throw new ConfigError(field, `unknown profile "${String(value)}"; expected ${PROFILES.join(' or ')}`);
}
