import { worstOf, type Verdict } from '../controls/verdict.js';
import type { ScenarioResult } from './scenario-results.js';

export interface ControlOutcome {
  verdict: Verdict;
  reason?: string;
}

/**
 * A control is as bad as its worst scenario: any failed -> failed, else any undecided -> undecided,
 * else any passed -> passed; skipped only when every scenario carrying it was skipped.
 */
export function controlOutcomes(scenarios: ScenarioResult[]): Record<string, ControlOutcome> {
  const byControl = new Map<string, ScenarioResult[]>();
  for (const scenario of scenarios) {
    for (const control of scenario.controls) byControl.set(control, [...(byControl.get(control) ?? []), scenario]);
  }
  const outcomes: Record<string, ControlOutcome> = {};
  for (const control of [...byControl.keys()].sort()) {
    const carrying = byControl.get(control)!;
    const verdict = worstOf(carrying.map((scenario) => scenario.verdict))!;
    const reasons = carrying.filter((scenario) => scenario.verdict === verdict && scenario.reason).map((scenario) => scenario.reason!);
    const reason = [...new Set(reasons)].join(' | ');
    outcomes[control] = verdict === 'passed' && !reason ? { verdict } : { verdict, reason: reason || verdict };
  }
  return outcomes;
}
