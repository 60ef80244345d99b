import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { DrillStage, DrillStep, RestoreDrillEvidence } from './restore-drill-evidence.js';

/** The stages a drill must have gone through, each with at least one step that worked, before it can pass. */
const CHAIN: readonly DrillStage[] = ['backup', 'archive', 'restore', 'verification'];
const MAX_REASON_DETAIL = 300;

/**
 * backup.restore-drill: passes only when the restored server holds every canary row committed
 * before the target time and none committed after. A step of the backup and restore chain that
 * failed fails the control; a preparation step that failed (a tool missing, the canary write
 * refused) says nothing about the backups and leaves it undecided.
 */
export function judgeRestoreDrill(evidence: RestoreDrillEvidence): Judgement {
  const broken = evidence.steps.find((step) => step.outcome === 'failed');
  if (broken) {
    if (broken.stage === 'preparation') return undecided(`the restore drill could not run: ${broken.step} failed: ${summary(broken)}`);
    return failed(`point-in-time restore failed at the ${broken.stage} step "${broken.step}": ${summary(broken)}`);
  }
  const { before, after } = evidence.canaries;
  if (before.written === 0 || after.written === 0) return undecided('the drill wrote no canary rows on one side of the target time, so the restore proves nothing');
  const skipped = CHAIN.filter((stage) => !evidence.steps.some((step) => step.stage === stage && step.outcome === 'ok'));
  if (skipped.length > 0 || before.restored === undefined || after.restored === undefined) {
    return undecided(`the drill ended without ${skipped.length > 0 ? `its ${skipped.join(', ')} stage` : 'counting the canary rows on the restored server'}`);
  }
  const at = evidence.targetTime ?? 'the target time';
  if (after.restored > 0) {
    return failed(`the restore to ${at} brought back ${after.restored} of the ${after.written} canary rows committed after that time: it did not stop at the target`);
  }
  if (before.restored < before.written) {
    return failed(`the restore to ${at} brought back only ${before.restored} of the ${before.written} canary rows committed before that time`);
  }
  const restoreTime = evidence.restoreMs === undefined ? '' : ` in ${evidence.restoreMs} ms`;
  return passed(
    `restored to ${at}${restoreTime} into a fresh server: all ${before.written} canary rows committed before that time came back and none of the ${after.written} committed after ` +
      `(${evidence.steps.length} steps, ${evidence.totalMs} ms in all)`,
  );
}

/** The telling line of a failed step: the server's FATAL or ERROR line when there is one. */
function summary(step: DrillStep): string {
  const lines = (step.detail ?? 'no detail').split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const telling = lines.find((line) => /FATAL|ERROR|error:/.test(line)) ?? lines[0] ?? 'no detail';
  return telling.length > MAX_REASON_DETAIL ? `${telling.slice(0, MAX_REASON_DETAIL)}…` : telling;
}
