import type { TargetResult } from '../report/results-document.js';
import { areaSummaries } from '../report/verdict-summary.js';

/** One line per target and control area, e.g. "pg-hardened  transport  PASSED  11 passed, 1 skipped". */
export function summaryLines(target: TargetResult): string[] {
  if (target.error) return [`${target.name.padEnd(24)} ${'-'.padEnd(10)} ERROR      ${target.error}`];
  return areaSummaries(target).map(({ area, verdict, counts, notPassed }) => {
    const tally = (['passed', 'failed', 'undecided', 'skipped'] as const)
      .filter((verdict) => counts[verdict] > 0)
      .map((verdict) => `${counts[verdict]} ${verdict}`)
      .join(', ');
    const detail = notPassed.length > 0 ? ` (${notPassed.map((id) => `${id}=${target.controls[id]}`).join(' ')})` : '';
    return `${target.name.padEnd(24)} ${area.padEnd(10)} ${verdict.toUpperCase().padEnd(10)} ${tally}${detail}`;
  });
}
