import type { Verdict } from '../controls/verdict.js';
import { CATALOGUE, areaOf, findControl } from '../controls/catalogue.js';
import type { ResultsDocument, TargetResult } from './results-document.js';
import type { TrendMark } from './trend.js';

export const VERDICTS: readonly Verdict[] = ['passed', 'failed', 'undecided', 'skipped'];

export type VerdictCounts = Record<Verdict, number>;

export interface MatrixColumn {
  id: string;
  mcsb: string;
}

export interface MatrixArea {
  area: string;
  /** MCSB families of the area's controls, in catalogue order (e.g. transport: DP-3). */
  mcsbFamilies: string[];
  columns: MatrixColumn[];
}

export interface MatrixCell {
  verdict?: Verdict;
  reason?: string;
  trend?: TrendMark;
}

export interface MatrixRow {
  target: TargetResult;
  cells: Record<string, MatrixCell>;
  counts: VerdictCounts;
}

export interface ComplianceMatrix {
  areas: MatrixArea[];
  rows: MatrixRow[];
  /** Control id -> how many targets got each verdict. */
  controlCounts: Record<string, VerdictCounts>;
}

const zeroCounts = (): VerdictCounts => ({ passed: 0, failed: 0, undecided: 0, skipped: 0 });

/** The catalogue's order, then any id only the results know (a newer run's control), alphabetically. */
function orderedControlIds(document: ResultsDocument): string[] {
  const seen = new Set(document.targets.flatMap((target) => Object.keys(target.controls)));
  const known = CATALOGUE.map((control) => control.id).filter((id) => seen.has(id));
  const unknown = [...seen].filter((id) => !findControl(id)).sort();
  return [...known, ...unknown];
}

/** Targets as rows, controls as columns grouped by area: who fails what, at a glance. */
export function complianceMatrix(document: ResultsDocument): ComplianceMatrix {
  const areas: MatrixArea[] = [];
  for (const id of orderedControlIds(document)) {
    const area = areaOf(id);
    const mcsb = findControl(id)?.mcsb ?? '';
    let group = areas.find((candidate) => candidate.area === area);
    if (!group) areas.push((group = { area, mcsbFamilies: [], columns: [] }));
    group.columns.push({ id, mcsb });
    if (mcsb && !group.mcsbFamilies.includes(mcsb)) group.mcsbFamilies.push(mcsb);
  }
  const ids = areas.flatMap((area) => area.columns.map((column) => column.id));
  const controlCounts: Record<string, VerdictCounts> = Object.fromEntries(ids.map((id) => [id, zeroCounts()]));
  const rows = document.targets.map((target) => {
    const counts = zeroCounts();
    const cells: Record<string, MatrixCell> = {};
    for (const id of ids) {
      const verdict = target.controls[id];
      if (verdict) {
        counts[verdict]++;
        controlCounts[id][verdict]++;
      }
      cells[id] = { verdict, reason: target.reasons[id], trend: target.trend?.[id] };
    }
    return { target, cells, counts };
  });
  return { areas, rows, controlCounts };
}
