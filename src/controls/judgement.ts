/** The answer of one matcher: whether the control's condition holds, and why, in an auditor's words. */
export interface Judgement {
  verdict: 'passed' | 'failed' | 'undecided';
  reason: string;
}

export const passed = (reason: string): Judgement => ({ verdict: 'passed', reason });
export const failed = (reason: string): Judgement => ({ verdict: 'failed', reason });
export const undecided = (reason: string): Judgement => ({ verdict: 'undecided', reason });
