import type { Target } from '../targets/target.js';
import { withDeadline } from '../util/deadline.js';
import { CannotObserve, NothingToJudge, type Observation } from '../controls/observation.js';
import type { Decision } from '../controls/verdict.js';
import { defaultTimeBudgetMs, type Check } from './check.js';
import type { TargetContext } from './target-context.js';

/** Runs a check's read; whatever it throws becomes an observation with the reason, never a crash. */
export async function observeWith<Evidence>(check: Check<Evidence>, context: TargetContext, signal: AbortSignal = context.closed): Promise<Observation<Evidence>> {
  try {
    return { kind: 'observed', evidence: await check.read(context, signal) };
  } catch (error) {
    if (error instanceof NothingToJudge) return { kind: 'nothing-to-judge', reason: error.message, evidence: error.evidence };
    if (error instanceof CannotObserve) return { kind: 'unobservable', reason: error.message, evidence: error.evidence };
    const problem = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    return { kind: 'unobservable', reason: `the harness could not look: ${problem}` };
  }
}

/** Where a control's observation is kept in its target's context. */
export const controlObservationKey = (controlId: string) => `control:${controlId}`;

/**
 * The observation behind one control on the context's target, made once per run whichever scenario
 * asks first, and given up (undecided) when it outlasts the check's time budget.
 */
export function observeControl<Evidence>(context: TargetContext, check: Check<Evidence>): Promise<Observation<Evidence>> {
  return context.once(controlObservationKey(check.id), () => {
    const budgetMs = (check.timeBudgetMs ?? defaultTimeBudgetMs)(context.target);
    return withDeadline(budgetMs, `observing ${check.id}`, (deadline) => observeWith(check, context, AbortSignal.any([deadline, context.closed]))).catch(
      (error: unknown): Observation<Evidence> => ({ kind: 'unobservable', reason: `the harness gave up: ${error instanceof Error ? error.message : String(error)}` }),
    );
  });
}

/**
 * Starts the observations of every given check at once (the selected controls that apply to the
 * target), once per context: on a forking server, or one that delays failed logins, they overlap
 * instead of queueing.
 */
export function prefetchControls(context: TargetContext, checks: readonly Check[]): void {
  void context.once('prefetch', async () => {
    for (const check of checks) void observeControl(context, check);
  });
}

/**
 * Makes every given observation (starting them together, as prefetchControls does) and waits until
 * each has an outcome: each is bounded by its check's time budget, so this ends.
 */
export async function observeControls(context: TargetContext, checks: readonly Check[]): Promise<void> {
  prefetchControls(context, checks);
  await Promise.all(checks.map((check) => observeControl(context, check)));
}

/** The one way from a check's observation to a control's decision on a target. */
export function decideControl<Evidence>(check: Check<Evidence>, observation: Observation<Evidence>, target: Target): Decision {
  switch (observation.kind) {
    case 'nothing-to-judge':
      return { verdict: 'skipped', reason: observation.reason };
    case 'unobservable':
      return { verdict: 'undecided', reason: observation.reason };
    case 'observed':
      try {
        return check.judge(observation.evidence, target);
      } catch (error) {
        // A judge that throws is our bug, never evidence against the server.
        return { verdict: 'undecided', reason: `the harness could not judge the evidence: ${error instanceof Error ? error.message : String(error)}` };
      }
  }
}
