import type { TargetResult } from '../report/results-document.js';
import { areaSummaries } from '../report/verdict-summary.js';

const MAX_CAUSE_LENGTH = 200;

/**
 * One line per target and control area, e.g. "pg  baseline  transport  PASSED  11 passed, 1 skipped",
 * then, indented, what a reader needs to act: why controls are undecided, and a failed login.
 */
export function summaryLines(target: TargetResult): string[] {
  const head = `${target.name.padEnd(24)} ${target.profile.padEnd(9)}`;
  if (target.error) return [`${head} ${'-'.padEnd(10)} ERROR      ${target.error}`];
  const lines = areaSummaries(target).map(({ area, verdict, counts, notPassed }) => {
    const tally = (['passed', 'failed', 'undecided', 'skipped'] as const)
      .filter((verdict) => counts[verdict] > 0)
      .map((verdict) => `${counts[verdict]} ${verdict}`)
      .join(', ');
    const detail = notPassed.length > 0 ? ` (${notPassed.map((id) => `${id}=${target.controls[id]}`).join(' ')})` : '';
    return `${head} ${area.padEnd(10)} ${verdict.toUpperCase().padEnd(10)} ${tally}${detail}`;
  });
  if (target.unreachable) return [`${head} ${'-'.padEnd(10)} UNREACHABLE ${target.unreachable}`, ...lines];
  // A verdict on a stand-in's answers must never read as Azure's: the terminal says so as the report does.
  if (target.origin?.includes('Azure stand-in')) lines.push(`    origin: ${target.origin}`);
  const undecided = Object.keys(target.controls).filter((id) => target.controls[id] === 'undecided');
  if (undecided.length > 0) {
    const cause = target.reasons[undecided[0]] ?? 'no reason recorded';
    lines.push(`    undecided because: ${cause.length > MAX_CAUSE_LENGTH ? `${cause.slice(0, MAX_CAUSE_LENGTH)}...` : cause}`);
  }
  if (target.server.loginProblem) lines.push(`    warning: ${target.server.loginProblem}`);
  const comparison = target.configurationVsBehaviour;
  if (comparison && 'problem' in comparison) lines.push(`    Azure configuration not compared with behaviour: ${comparison.problem}`);
  for (const row of comparison && 'rows' in comparison ? comparison.rows.filter((each) => each.agrees === false) : []) {
    lines.push(`    CONFIGURATION vs BEHAVIOUR  ${row.aspect}: Azure says ${row.configured}; the server ${row.observed}`);
  }
  // A value pending a restart is not compared: say so once per parameter, not once per row it touches.
  const notInForce = new Set(comparison && 'rows' in comparison ? comparison.rows.flatMap((each) => (each.notInEffect ? [each.notInEffect] : [])) : []);
  for (const why of notInForce) lines.push(`    Azure configuration not in force: ${why}`);
  return lines;
}
