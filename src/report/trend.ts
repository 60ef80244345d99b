import type { Verdict } from '../controls/verdict.js';

/**
 * How a cell changed since the previous run. Cells that did not change, or changed between
 * passed and skipped, carry no mark.
 */
export type TrendMark = 'new-failure' | 'fixed' | 'still-failing' | 'newly-undecided';

export const TREND_LABELS: Record<TrendMark, string> = {
  'new-failure': 'new failure',
  fixed: 'fixed',
  'still-failing': 'still failing',
  'newly-undecided': 'newly undecided',
};

/**
 * failed now and not before (or a target/control the previous run did not have): new failure;
 * failed both times: still failing; failed before and passed now: fixed; undecided now after a
 * decided verdict, or on a target/control the previous run did not have: newly undecided (a
 * target added to the fleet that cannot be assessed is news, not known debt). Fixed needs a pass:
 * a failure that turns undecided or skipped is not shown as fixed, because nothing shows the
 * defect gone.
 */
export function trendOf(previous: Verdict | undefined, current: Verdict | undefined): TrendMark | undefined {
  if (current === 'failed') return previous === 'failed' ? 'still-failing' : 'new-failure';
  if (current === 'passed' && previous === 'failed') return 'fixed';
  if (current === 'undecided' && previous !== 'undecided') return 'newly-undecided';
  return undefined;
}
