/** Upper bounds for the drill's waits; every external command and query has one. */
export interface DrillTimeouts {
  /** One SQL statement or connection. */
  stepMs: number;
  /** One external command: a base backup, a copy, a binary log replay. */
  commandMs: number;
  /** How long the segment or binary log holding B may take to be archived. */
  archiveWaitMs: number;
  /** How long the restored server may take to recover and accept connections. */
  restoreStartMs: number;
}

export const DEFAULT_DRILL_TIMEOUTS: DrillTimeouts = { stepMs: 10_000, commandMs: 120_000, archiveWaitMs: 30_000, restoreStartMs: 60_000 };
