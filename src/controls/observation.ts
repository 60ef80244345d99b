/** What a check's read came to: evidence to judge, or the reason there is none. */
export type Observation<Evidence> =
  | { kind: 'observed'; evidence: Evidence }
  /** The read could not look; the control is undecided. */
  | { kind: 'unobservable'; reason: string; evidence?: unknown }
  /** The target gives nothing to judge; the control is skipped. */
  | { kind: 'nothing-to-judge'; reason: string; evidence?: unknown };

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
