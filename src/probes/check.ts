import type { Target } from '../targets/target.js';
import type { ControlId } from '../controls/catalogue.js';
import type { Judgement } from '../controls/judgement.js';
import type { TargetContext } from './target-context.js';

export { CannotObserve, NothingToJudge } from '../controls/observation.js';

/**
 * How one control is decided, in two halves kept apart so that the second can be tested on a table
 * of evidence without a server:
 * - `read` observes the target (handshakes, logins, catalog, logs, the Azure plane) and returns the
 *   evidence. It throws only when it could not look (`CannotObserve`, or any error: the pipeline
 *   turns it into an undecided verdict, never a crash, never a pass) or when the target gives
 *   nothing to judge (`NothingToJudge`: skipped, with the reason).
 * - `judge` is pure: the evidence and the target's declarations in, a verdict and reason out.
 */
export interface Check<Evidence = unknown> {
  readonly id: ControlId;
  /** Title of the evidence attachment in the report, e.g. "accepted cipher suites per TLS version". */
  readonly evidenceTitle: string;
  /**
   * `signal` aborts when the read outlasts its time budget (the control is then undecided
   * already): a read that waits on purpose or loops over many operations stops there.
   */
  read(context: TargetContext, signal: AbortSignal): Promise<Evidence>;
  judge(evidence: Evidence, target: Target): Judgement;
  /** What the report shows of the evidence, when that is not the evidence itself (e.g. a certificate's summary, not its bytes). */
  shown?(evidence: Evidence): unknown;
  /**
   * How long the whole read may take before the harness gives up and the control is undecided.
   * Default: `defaultTimeBudgetMs`. A check that waits on purpose (a token's expiry, a log line)
   * adds its wait.
   */
  timeBudgetMs?(target: Target): number;
}

/**
 * A read makes at most a few dozen network operations, each bounded by the target's timeout and
 * most of them in parallel; this bound only catches a read that would otherwise hang.
 */
export function defaultTimeBudgetMs(target: Target): number {
  return 30 * target.timeoutMs;
}

/** Declares a check with its evidence type inferred from `read`. */
export function defineCheck<Evidence>(check: Check<Evidence>): Check<Evidence> {
  return check;
}

