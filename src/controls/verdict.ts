export type Verdict = 'passed' | 'failed' | 'skipped' | 'undecided';

/** A control's verdict on one target, with the reason an auditor reads. */
export interface Decision {
  verdict: Verdict;
  reason: string;
}

/**
 * Worst first: any failed makes the whole failed, else any undecided makes it undecided, else any
 * passed makes it passed; skipped only when everything was skipped. Used for a scenario's steps,
 * a control's scenarios and an area's controls alike.
 */
export const VERDICTS_WORST_FIRST: readonly Verdict[] = ['failed', 'undecided', 'passed', 'skipped'];

export function worstOf(verdicts: Iterable<Verdict>): Verdict | undefined {
  const present = new Set(verdicts);
  return VERDICTS_WORST_FIRST.find((verdict) => present.has(verdict));
}

/**
 * Thrown by a step when its control is undecided, so Cucumber marks it red (never green); the
 * report reads the verdict from the decision attachment, not from this class.
 */
export class UndecidedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Undecided';
  }
}
