import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockSync, type ClockEvidence, type ClockSample } from '../../../src/probes/audit/clock-sync.js';
import { target } from './settings-fixtures.js';

const sample = (offsetMs: number, roundTripMs: number): ClockSample => ({
  serverTime: '2026-01-01T00:00:00.000Z',
  sentAt: '2026-01-01T00:00:00.000Z',
  receivedAt: '2026-01-01T00:00:00.000Z',
  roundTripMs,
  offsetMs,
});
const evidence = (best: ClockSample): ClockEvidence => ({ readAs: 'auditor', query: 'SELECT 1', samples: [best, sample(0, 5000)], best });

const cases: Array<{ name: string; best: ClockSample; verdict: string; reason: RegExp }> = [
  { name: 'in step', best: sample(3.2, 0.8), verdict: 'passed', reason: /within 1000 ms.*offset 3\.2 ms ± 0\.4 ms/ },
  { name: 'server behind by 900 ms, tight error bar', best: sample(-900, 50), verdict: 'passed', reason: /within/ },
  { name: 'error bar pushes past 1 s: cannot tell', best: sample(900, 400), verdict: 'undecided', reason: /too slow to tell/ },
  { name: 'server ahead by 5 s', best: sample(5000, 10), verdict: 'failed', reason: /off by more than 1000 ms.*offset 5000\.0 ms/ },
  { name: 'server behind by 2 s, even with the error bar', best: sample(-2000, 1000), verdict: 'failed', reason: /off by more/ },
  { name: 'exactly 1 s including the error bar', best: sample(990, 20), verdict: 'passed', reason: /within/ },
];

for (const { name, best, verdict, reason } of cases) {
  test(`audit.clock-sync judge: ${name} -> ${verdict}`, () => {
    const judgement = clockSync.judge(evidence(best), target('postgres'));
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}
