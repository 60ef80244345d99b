import type { Target } from '../targets/target.js';

/**
 * STAND-IN for the TargetContext landing on main (src/probes/target-context.ts there): only the two
 * members the plane checks use, `target` and `once`, with the same signatures. When merging, keep
 * main's file; the plane checks need nothing else from it.
 */
export class TargetContext {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(readonly target: Target) {}

  once<T>(key: string, probe: () => Promise<T>): Promise<T> {
    let pending = this.memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = probe();
      this.memo.set(key, pending);
    }
    return pending;
  }
}
