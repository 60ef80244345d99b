import type { Target } from '../targets/target.js';
import type { ControlId } from './catalogue.js';
import type { Judgement } from './judgement.js';
import type { TargetContext } from '../probes/target-context.js';

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
  read(context: TargetContext): Promise<Evidence>;
  judge(evidence: Evidence, target: Target): Judgement;
  /** What the report shows of the evidence, when that is not the evidence itself (e.g. a certificate's summary, not its bytes). */
  shown?(evidence: Evidence): unknown;
}

/** The read could not look: the control is undecided, with this reason. */
export class CannotObserve extends Error {
  constructor(reason: string, readonly evidence?: unknown) {
    super(reason);
    this.name = 'CannotObserve';
  }
}

/**
 * The target offers nothing this control could judge, found only by looking (no Azure credential in
 * the environment, no log source): the control is skipped, with this reason. What a target fails
 * to declare is the catalogue's `missingDeclaration`, decided before any read.
 */
export class NothingToJudge extends Error {
  constructor(reason: string, readonly evidence?: unknown) {
    super(reason);
    this.name = 'NothingToJudge';
  }
}

/** Declares a check with its evidence type inferred from `read`. */
export function defineCheck<Evidence>(check: Check<Evidence>): Check<Evidence> {
  return check;
}

/** What a check's read came to: evidence to judge, or the reason there is none. */
export type Observation<Evidence> =
  | { kind: 'observed'; evidence: Evidence }
  /** The read could not look; the control is undecided. */
  | { kind: 'unobservable'; reason: string; evidence?: unknown }
  /** The target gives nothing to judge; the control is skipped. */
  | { kind: 'nothing-to-judge'; reason: string; evidence?: unknown };

/** Runs a check's read; whatever it throws becomes an observation with the reason, never a crash. */
export async function observeWith<Evidence>(check: Check<Evidence>, context: TargetContext): Promise<Observation<Evidence>> {
  try {
    return { kind: 'observed', evidence: await check.read(context) };
  } catch (error) {
    if (error instanceof NothingToJudge) return { kind: 'nothing-to-judge', reason: error.message, evidence: error.evidence };
    if (error instanceof CannotObserve) return { kind: 'unobservable', reason: error.message, evidence: error.evidence };
    const problem = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    return { kind: 'unobservable', reason: `the harness could not look: ${problem}` };
  }
}
