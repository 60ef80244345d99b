import { assert } from 'chai';
import { UndecidedError } from '../src/controls/verdict.js';
import type { Judgement } from '../src/probes/transport/judgement.js';
import { redact } from '../src/report/redact.js';

/** Turns a matcher's judgement into the step's outcome: pass, an assertion failure, or undecided. */
export function decide(judgement: Judgement): void {
  const reason = redact(judgement.reason);
  if (judgement.verdict === 'undecided') throw new UndecidedError(reason);
  assert(judgement.verdict === 'passed', reason);
}
