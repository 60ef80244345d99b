import { AssertionError } from 'chai';
import { SKIP_NOTE, UndecidedError } from '../src/controls/verdict.js';
import type { Judgement } from '../src/controls/judgement.js';
import { redact } from '../src/report/redact.js';
import { JUDGEMENT_ATTACHMENT } from '../src/report/scenario-results.js';
import type { ComplianceWorld } from './world.js';

/**
 * Turns a matcher's judgement into the step's outcome (pass, assertion failure, undecided) and
 * records it, so passed controls carry their reason too. The stack is dropped: an auditor reads
 * the reason, and our source lines would only be noise in the report.
 */
export function decide(world: ComplianceWorld, judgement: Judgement): void {
  const reason = redact(judgement.reason);
  world.attach(JSON.stringify({ verdict: judgement.verdict, reason }, null, 2), { mediaType: 'application/json', fileName: JUDGEMENT_ATTACHMENT });
  if (judgement.verdict === 'passed') return;
  const error = judgement.verdict === 'undecided' ? new UndecidedError(reason) : new AssertionError(reason);
  error.stack = `${error.name}: ${reason}`;
  throw error;
}

/** The judgement of the finding the scenario's When step observed. */
export function decideFinding(world: ComplianceWorld): void {
  if (!world.finding) throw new UndecidedError('no observation was made for this control');
  decide(world, world.finding.judgement);
}

/** Skips the scenario with a reason the report shows, for checks the target gave nothing to judge. */
export function skipBecause(world: ComplianceWorld, reason: string): 'skipped' {
  world.attach(JSON.stringify({ reason }, null, 2), { mediaType: 'application/json', fileName: SKIP_NOTE });
  return 'skipped';
}
