import type { Check } from '../../src/probes/check.js';
import type { Observation } from '../../src/controls/observation.js';
import type { Decision } from '../../src/controls/verdict.js';
import { decideControl, observeControl } from '../../src/probes/control-observation.js';
import { TargetContext } from '../../src/probes/target-context.js';
import type { Target } from '../../src/targets/target.js';
import { leastPrivilege } from '../../src/probes/access/least-privilege.js';

export interface CheckOutcome<Evidence> {
  observation: Observation<Evidence>;
  decision: Decision;
  /** The evidence, when the read observed something. */
  evidence?: Evidence;
}

/**
 * Runs one check against a target the way a scenario does (read in a fresh context, then judge),
 * without Cucumber; `seed` may pre-load observations the context would otherwise make.
 */
export async function decideCheck<Evidence>(check: Check<Evidence>, target: Target, seed?: (context: TargetContext) => void): Promise<CheckOutcome<Evidence>> {
  const context = new TargetContext(target);
  seed?.(context);
  try {
    const observation = await observeControl(context, check);
    return { observation, decision: decideControl(check, observation, target), evidence: observation.kind === 'observed' ? observation.evidence : undefined };
  } finally {
    await context.close();
  }
}

/** access.least-privilege's decision on a target, read in a fresh context. */
export async function leastPrivilegeOn(target: Target): Promise<Decision> {
  return (await decideCheck(leastPrivilege, target)).decision;
}
