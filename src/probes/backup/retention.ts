import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { ProfileName, Target } from '../../targets/target.js';
import { serverFacts } from '../plane/server-facts.js';

export interface RetentionEvidence {
  plane: string;
  server: string;
  backupRetentionDays?: number;
}

/** "At least", never a window: more retention is never a finding. */
export const MINIMUM_RETENTION_DAYS: Record<ProfileName, number> = { baseline: 7, strict: 35 };

export function judgeRetention(evidence: RetentionEvidence, target: Pick<Target, 'profile'>): Judgement {
  const minimum = MINIMUM_RETENTION_DAYS[target.profile];
  const days = evidence.backupRetentionDays;
  const where = `${evidence.server} on ${evidence.plane}`;
  if (typeof days !== 'number' || !Number.isFinite(days)) return undecided(`${where} reports no backup retention`);
  if (days >= minimum) return passed(`backups of ${where} are kept ${days} days, at least the ${minimum} the ${target.profile} profile asks`);
  return failed(`backups of ${where} are kept ${days} days, fewer than the ${minimum} the ${target.profile} profile asks`);
}

export const backupRetentionCheck = defineCheck<RetentionEvidence>({
  id: 'backup.retention',
  evidenceTitle: 'backup retention, as Azure Resource Manager reports it',
  async read(context) {
    const server = await serverFacts(context);
    return { plane: server.plane, server: server.name, backupRetentionDays: server.backupRetentionDays };
  },
  judge: judgeRetention,
});
