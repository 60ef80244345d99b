import { CannotObserve } from '../controls/check.js';
import { UndecidedError } from '../controls/verdict.js';
import type { Target } from '../targets/target.js';
import { closeCatalogSession, readCatalog } from './catalog/catalog-session.js';
import type { SqlSession } from './sql/sql-session.js';

/**
 * STAND-IN for the TargetContext landing on main (src/probes/target-context.ts there): only the
 * part of its API the audit, backup and rest checks use (`target`, `once`, `catalog.read`,
 * `close`), with the same signatures, so those checks compile on this branch. When merging, keep
 * main's file and drop this one.
 */
export class TargetContext {
  private readonly memo = new Map<string, Promise<unknown>>();
  readonly catalog: { read<T>(what: string, read: (session: SqlSession) => Promise<T>): Promise<{ readAs: string; result: T }> };

  constructor(readonly target: Target) {
    // main's catalog session throws CannotObserve; this branch's throws UndecidedError: same meaning.
    this.catalog = {
      read: (what, read) =>
        readCatalog(target, what, read).catch((error: unknown) => {
          throw error instanceof UndecidedError ? new CannotObserve(error.message) : error;
        }),
    };
  }

  /** Makes an observation once per run, under `key`; later callers share the same promise. */
  once<T>(key: string, probe: () => Promise<T>): Promise<T> {
    let pending = this.memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = probe();
      this.memo.set(key, pending);
    }
    return pending;
  }

  async close(): Promise<void> {
    await closeCatalogSession(this.target.name);
  }
}
