import type { Judgement } from '../controls/judgement.js';

/** What a probe observed (shown to the auditor) and what that means for the control. */
export interface Finding<Evidence = unknown> {
  evidence: Evidence;
  judgement: Judgement;
}

/** A probe that threw becomes an undecided finding with the reason: never a crash, never a pass. */
export async function findingOf(probe: () => Promise<Finding>): Promise<Finding> {
  try {
    return await probe();
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return { evidence: { problem }, judgement: { verdict: 'undecided', reason: problem } };
  }
}
