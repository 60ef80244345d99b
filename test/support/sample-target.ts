import type { Target } from '../../src/targets/target.js';

/** A target for judge table tests: nothing is dialled, only its declarations are read. */
export function sampleTarget(overrides: Partial<Target> = {}): Target {
  return { name: 'sample', engine: 'postgres', host: 'db.example', port: 5432, user: 'app', profile: 'baseline', timeoutMs: 1000, minCertDaysLeft: 30, ...overrides };
}
