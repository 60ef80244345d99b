import { CannotObserve, NothingToJudge, defineCheck } from '../check.js';
import { DEFAULT_DRILL_TIMEOUTS, type DrillTimeouts } from '../../lab/restore-drill/drill-timeouts.js';
import type { Target } from '../../targets/target.js';
import type { RestoreDrillEvidence, RestoreTarget } from './restore-drill-evidence.js';
import { judgeRestoreDrill } from './restore-drill-judgement.js';

/** backup.restore-drill: a point-in-time restore of a lab target, end to end; see the drills in src/lab/restore-drill. */
export const restoreDrillCheck = defineCheck<RestoreDrillEvidence>({
  id: 'backup.restore-drill',
  evidenceTitle: 'restore drill: each step with its time and outcome, the canary rows either side of the target time, the restore time',
  read: (context) => context.once('restore-drill', () => readRestoreDrill(context.target)),
  judge: (evidence) => judgeRestoreDrill(evidence),
});

export interface RestoreDrillOptions {
  /** between-canaries (default) is the drill; after-last-commit is its negative case, which must never pass. */
  restoreTarget?: RestoreTarget;
  timeouts?: DrillTimeouts;
}

/**
 * Runs the drill on a target the harness started itself. It writes canary rows to the server, takes
 * a base backup and starts (and always stops) a restored copy on another loopback port.
 */
export async function readRestoreDrill(target: Target, options: RestoreDrillOptions = {}): Promise<RestoreDrillEvidence> {
  const lab = target.lab;
  if (!lab) throw new NothingToJudge("restores need the server's files and a second server to restore into: a lab target only");
  if (lab.engine !== target.engine) throw new CannotObserve(`the target is a ${target.engine} server but its lab handle describes a ${lab.engine} one`);
  const restoreTarget = options.restoreTarget ?? 'between-canaries';
  const timeouts = options.timeouts ?? DEFAULT_DRILL_TIMEOUTS;
  // The drills (and the PostgreSQL driver they use) load only for a lab target, the one kind that has them.
  if (lab.engine === 'postgres') {
    const { postgresRestoreDrill } = await import('../../lab/restore-drill/postgres-restore-drill.js');
    return postgresRestoreDrill(lab, target.port, restoreTarget, timeouts);
  }
  const { mariaDbRestoreDrill } = await import('../../lab/restore-drill/mariadb-restore-drill.js');
  return mariaDbRestoreDrill(lab, restoreTarget, timeouts);
}
