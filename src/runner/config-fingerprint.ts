import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Target } from '../targets/target.js';

/** JSON with sorted keys, so the same configuration always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((key) => (value as Record<string, unknown>)[key] !== undefined).map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface FingerprintedRun {
  /** Targets from --target and --config (never secrets: a Target holds none). */
  declared: Target[];
  tags?: string;
  demo: boolean;
  /** --profile and --intrusive, which also shape the demo targets. */
  profile?: string;
  intrusive: boolean;
  toolVersion: string;
  /** --run-id: shared by the shards of one run, so a shard kept from another run cannot join them. */
  runId?: string;
}

/**
 * SHA-256 over what decides a run's verdicts: every declared target (all shards see the whole
 * list), the tag selection, --demo, and the tool version. File paths count by their base name, so
 * shards checked out in different directories still agree; demo servers count by name, since
 * each shard starts its own on other ports. Without --run-id the hash is as before (an undefined
 * field is left out), so shards of one configuration from different nights still match.
 */
export function configFingerprint(run: FingerprintedRun): string {
  const targets = run.declared
    .map((target) => ({ ...target, origin: undefined, caFile: target.caFile && basename(target.caFile), entra: target.entra && { ...target.entra, caFile: target.entra.caFile && basename(target.entra.caFile) } }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return createHash('sha256').update(canonical({ targets, tags: run.tags ?? '', demo: run.demo, profile: run.profile ?? '', intrusive: run.intrusive, toolVersion: run.toolVersion, runId: run.runId })).digest('hex');
}
