import type { Decision, Verdict } from '../controls/verdict.js';

/**
 * The one channel from a scenario to the report: every decision (a hook's skip for a control that
 * does not apply, a step's judgement) is attached under this file name as {verdict, reason}, and
 * the results are read back from it. Nothing else in the message stream counts as a verdict.
 */
export const DECISION_ATTACHMENT = 'decision';

const VERDICTS = new Set<Verdict>(['passed', 'failed', 'skipped', 'undecided']);

export function decisionAttachmentBody(decision: Decision): string {
  return JSON.stringify({ verdict: decision.verdict, reason: decision.reason }, null, 2);
}

/** The decision an attachment carries, or undefined when it is not a decision attachment. */
export function readDecisionAttachment(attachment: { fileName?: string; body: string }): Decision | undefined {
  if (attachment.fileName !== DECISION_ATTACHMENT) return undefined;
  try {
    const parsed = JSON.parse(attachment.body) as Partial<Decision>;
    if (parsed.verdict && VERDICTS.has(parsed.verdict)) return { verdict: parsed.verdict, reason: String(parsed.reason ?? '') };
  } catch {
    // falls through: an unreadable decision is no decision, and the scenario ends undecided
  }
  return { verdict: 'undecided', reason: 'a decision attachment could not be read' };
}
