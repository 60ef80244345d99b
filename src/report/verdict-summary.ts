import { areaOf } from '../controls/catalogue.js';
import { worstOf, type Verdict } from '../controls/verdict.js';
import type { ResultsDocument, TargetResult } from './results-document.js';

export interface AreaSummary {
  area: string;
  verdict: Verdict;
  counts: Record<Verdict, number>;
  /** Controls that did not pass or skip, for the one-line summary. */
  notPassed: string[];
}

export function areaSummaries(target: TargetResult): AreaSummary[] {
  const areas = new Map<string, string[]>();
  for (const id of Object.keys(target.controls)) areas.set(areaOf(id), [...(areas.get(areaOf(id)) ?? []), id]);
  return [...areas.entries()].map(([area, ids]) => {
    const counts: Record<Verdict, number> = { passed: 0, failed: 0, skipped: 0, undecided: 0 };
    for (const id of ids) counts[target.controls[id]]++;
    const verdict = worstOf(ids.map((id) => target.controls[id])) ?? 'skipped';
    const notPassed = ids.filter((id) => target.controls[id] === 'failed' || target.controls[id] === 'undecided');
    return { area, verdict, counts, notPassed };
  });
}

/** The aspects on which what Azure says and what the server did disagree. */
export function disagreeingAspects(target: TargetResult): string[] {
  const comparison = target.configurationVsBehaviour;
  return comparison && 'rows' in comparison ? comparison.rows.filter((row) => row.agrees === false).map((row) => row.aspect) : [];
}

/** Whether what Azure says and what the server did disagree anywhere. */
export function disagrees(target: TargetResult): boolean {
  const comparison = target.configurationVsBehaviour;
  return !!comparison && 'rows' in comparison && comparison.disagreements > 0;
}

/** Exit status contract: 0 only when the run completed and no control failed or stayed undecided. */
export function runPassed(document: ResultsDocument): boolean {
  return (
    document.complete &&
    document.targets.every(
      (target) =>
        !target.error &&
        Object.values(target.controls).every((verdict) => verdict === 'passed' || verdict === 'skipped') &&
        // Azure's configuration contradicting the server's behaviour is a finding of its own.
        !disagrees(target),
    )
  );
}
