import type { Target } from '../targets/target.js';

/**
 * STAND-IN on the restore branch only: main's src/probes/target-context.ts (the full TargetContext,
 * with the catalog session, handshakes and logins) replaces this file when the branch is merged.
 * It keeps the part of the API the restore drill uses: the target, and memoised observations.
 */
export class TargetContext {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(readonly target: Target) {}

  /** Makes an observation once per run, under `key`; later callers share the same promise. */
  once<T>(key: string, probe: () => Promise<T>): Promise<T> {
    let pending = this.memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = probe();
      this.memo.set(key, pending);
    }
    return pending;
  }
}
