export type Verdict = 'passed' | 'failed' | 'skipped' | 'undecided';

/**
 * Thrown when a control cannot be decided: the server could not be reached, did not answer in time,
 * or our own client could not look. Cucumber records it as a failure (never green) and the results
 * builder reports the control as undecided, by this class name.
 */
export class UndecidedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UndecidedError';
  }
}

/** File name of the JSON note ({reason}) a hook attaches when it skips a scenario. */
export const SKIP_NOTE = 'skip reason';
