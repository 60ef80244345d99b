import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../targets/config-error.js';
import type { ResultsDocument } from './results-document.js';
import { trendOf, TREND_LABELS, type TrendMark } from './trend.js';
import { disagreeingAspects, runPassed } from './verdict-summary.js';

export type FailOn = 'any' | 'new';
export const FAIL_ON_CHOICES: FailOn[] = ['any', 'new'];

export interface Comparison {
  /** What --compare named, as given. */
  source: string;
  previousStartedAt: string;
  previousToolVersion: string;
  counts: Record<TrendMark, number>;
}

/**
 * --compare takes a previous output directory or its results.json; anything else is a usage error
 * naming the flag. With `expectedSha256` (its digest in the verified manifest) the very bytes
 * parsed are held to it, so a file swapped after the check is never compared against.
 */
export async function loadPreviousResults(source: string, expectedSha256?: string): Promise<ResultsDocument> {
  const found = await stat(source).catch(() => undefined);
  if (!found) throw new ConfigError('--compare', `${source} does not exist`);
  const file = found.isDirectory() ? join(source, 'results.json') : source;
  let document: ResultsDocument;
  try {
    const bytes = await readFile(file);
    if (expectedSha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== expectedSha256) {
      throw new ConfigError('--compare', `${file} changed after its run was verified`);
    }
    document = JSON.parse(bytes.toString('utf8')) as ResultsDocument;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('--compare', `${file} is not a readable results.json (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (document?.tool?.name !== 'dbcomply' || !Array.isArray(document.targets)) throw new ConfigError('--compare', `${file} is not a dbcomply results.json`);
  return document;
}

/**
 * Marks every cell against the previous run, target by target name and control by id: a target
 * or control the previous run did not have counts as new (a failure there is a new failure).
 */
export function compareRuns(current: ResultsDocument, previous: ResultsDocument, source: string): ResultsDocument {
  const before = new Map(previous.targets.map((target) => [target.name, target.controls]));
  const disagreedBefore = new Map(previous.targets.map((target) => [target.name, disagreeingAspects(target)]));
  const counts: Record<TrendMark, number> = { 'new-failure': 0, fixed: 0, 'still-failing': 0, 'newly-undecided': 0 };
  const targets = current.targets.map((target) => {
    const previousControls = before.get(target.name) ?? {};
    const trend: Record<string, TrendMark> = {};
    for (const [id, verdict] of Object.entries(target.controls)) {
      const mark = trendOf(previousControls[id], verdict);
      if (mark) {
        trend[id] = mark;
        counts[mark]++;
      }
    }
    // A configuration/behaviour disagreement is a finding of its own (it fails a run under 'any'): under 'new', one the previous run did not show.
    const known = disagreedBefore.get(target.name) ?? [];
    const newDisagreements = disagreeingAspects(target).filter((aspect) => !known.includes(aspect));
    return { ...target, trend, ...(newDisagreements.length > 0 ? { newDisagreements } : {}) };
  });
  const comparison: Comparison = { source, previousStartedAt: previous.startedAt, previousToolVersion: previous.tool.version, counts };
  return { ...current, targets, comparison };
}

/** Lines for the terminal: the tally, then each new failure and newly undecided cell by name. */
export function comparisonLines(document: ResultsDocument): string[] {
  if (!document.comparison) return [];
  const { counts, previousStartedAt } = document.comparison;
  const lines = [`Since the run of ${previousStartedAt}: ${(Object.keys(counts) as TrendMark[]).map((mark) => `${counts[mark]} ${TREND_LABELS[mark]}`).join(', ')}`];
  for (const target of document.targets) {
    for (const [id, mark] of Object.entries(target.trend ?? {})) {
      if (mark === 'new-failure' || mark === 'newly-undecided') lines.push(`    ${TREND_LABELS[mark]}: ${target.name} ${id}`);
    }
    for (const aspect of target.newDisagreements ?? []) lines.push(`    new configuration/behaviour disagreement: ${target.name} ${aspect}`);
  }
  return lines;
}

/** Marks that fail a run under --fail-on new: what got worse since the previous run. */
const NEWLY_WORSE: readonly TrendMark[] = ['new-failure', 'newly-undecided'];

/**
 * Exit status: with --fail-on new, only what got worse fails the run (a nightly job over a legacy
 * fleet): a new failure, or a control that can no longer be decided (a server gone dark, a rotated
 * auditor password), since an undecided control is never a pass; failing or undecided both times is
 * known debt. An incomplete run still fails, since it shows nothing about what it did not assess.
 */
export function runAcceptable(document: ResultsDocument, failOn: FailOn): boolean {
  if (failOn === 'any' || !document.comparison) return runPassed(document);
  return document.complete && document.targets.every((target) => !target.error && !Object.values(target.trend ?? {}).some((mark) => NEWLY_WORSE.includes(mark)) && (target.newDisagreements ?? []).length === 0);
}

