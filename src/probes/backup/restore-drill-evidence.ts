import type { Engine } from '../../targets/target.js';

/**
 * Which part of the drill a step belongs to. A failed preparation step (a tool missing, the canary
 * table refused) says nothing about the server's backups: the control is undecided. A failure in
 * any other stage is the backup and restore chain failing: the control fails.
 */
export type DrillStage = 'preparation' | 'backup' | 'archive' | 'restore' | 'verification';

export interface DrillStep {
  stage: DrillStage;
  /** What the step does, in an auditor's words, e.g. "pg_basebackup -Xs (streamed WAL)". */
  step: string;
  outcome: 'ok' | 'failed';
  ms: number;
  /** What came of it: a position, a count, or the tool's own error lines. Never a password. */
  detail?: string;
}

/** between-canaries: the drill proper. after-last-commit: the negative case, a time no archived commit reaches. */
export type RestoreTarget = 'between-canaries' | 'after-last-commit';

export interface CanaryCount {
  /** Rows the drill committed on the target in this phase. */
  written: number;
  /** Rows of this phase (and this run) found on the restored server; absent when it was never read. */
  restored?: number;
}

export interface RestoreDrillEvidence {
  engine: Engine;
  restoreTarget: RestoreTarget;
  /** The archiving settings as the server reports them, e.g. { archive_mode: 'on' } or { log_bin: 'ON' }. */
  archivingSettings: Record<string, string>;
  /** Marks this run's canary rows, so that rows of earlier drills are never counted. */
  runId: string;
  canaries: { before: CanaryCount; after: CanaryCount };
  /** The point in time restored to, as given to the restore (an explicit UTC offset or TZ=UTC). */
  targetTime?: string;
  /** From the start of the restore until the restored server answered with the data rolled forward. */
  restoreMs?: number;
  totalMs: number;
  steps: DrillStep[];
  /** The restored server's own lines about where recovery stopped (PostgreSQL). */
  recoveryLog?: string[];
}
