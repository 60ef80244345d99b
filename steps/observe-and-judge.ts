import { Then, When, Given } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';

/**
 * No Cucumber time limit on these steps: every observation is bounded by its check's own time
 * budget, derived from the target's timeout (and, for the token probe, its allowed expiry wait),
 * so a slow but legitimate probe is never cut off by a fixed step timeout.
 */
const BOUNDED_BY_THE_CHECK = { timeout: -1 };

/** Sentences that make the scenario's observation; the control comes from its @control tag. */
export function observations(keyword: 'Given' | 'When', sentences: readonly string[]): void {
  const define = keyword === 'Given' ? Given : When;
  for (const sentence of sentences) {
    define(sentence, BOUNDED_BY_THE_CHECK, function (this: ComplianceWorld) {
      return this.observe();
    });
  }
}

/** Sentences that state what must hold; each judges the scenario's control on its observation. */
export function expectations(sentences: readonly string[]): void {
  for (const sentence of sentences) {
    Then(sentence, BOUNDED_BY_THE_CHECK, function (this: ComplianceWorld) {
      return this.judge();
    });
  }
}

/** Sentences that each state one point of a documented requirement list, by the point's name in the evidence. */
export function pointExpectations(points: Record<string, string>): void {
  for (const [sentence, point] of Object.entries(points)) {
    Then(sentence, BOUNDED_BY_THE_CHECK, function (this: ComplianceWorld) {
      return this.judgePoint(point);
    });
  }
}

/** The sentence that ends a requirement-list scenario: every point of the control no earlier step named (the geo-backup key's). */
export function remainingPointExpectations(sentences: readonly string[]): void {
  for (const sentence of sentences) {
    Then(sentence, BOUNDED_BY_THE_CHECK, function (this: ComplianceWorld) {
      return this.judgeRemainingPoints();
    });
  }
}
