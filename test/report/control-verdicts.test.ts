import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controlOutcomes } from '../../src/report/control-verdicts.js';
import type { ScenarioResult } from '../../src/report/scenario-results.js';

const scenario = (controls: string[], verdict: ScenarioResult['verdict'], reason?: string): ScenarioResult => ({
  name: 's', feature: 'f', uri: 'u', controls, verdict, reason, durationMs: 1,
});

test('a control is as bad as its worst scenario, and skipped only when all its scenarios were', () => {
  const outcomes = controlOutcomes([
    scenario(['a', 'b'], 'passed'),
    scenario(['a'], 'undecided', 'timed out'),
    scenario(['b'], 'failed', 'TLS 1.0 accepted'),
    scenario(['b'], 'undecided', 'x'),
    scenario(['c'], 'skipped', 'not in profile'),
    scenario(['d'], 'skipped', 'n/a'),
    scenario(['d'], 'passed'),
  ]);
  assert.deepEqual(outcomes, {
    a: { verdict: 'undecided', reason: 'timed out' },
    b: { verdict: 'failed', reason: 'TLS 1.0 accepted' },
    c: { verdict: 'skipped', reason: 'not in profile' },
    d: { verdict: 'passed' },
  });
});
