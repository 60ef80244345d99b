/**
 * --fail-on new over two runs as results.json holds them: a nightly job over a fleet with known
 * debt must still go red when a control it used to decide can no longer be decided (a server gone
 * dark, a rotated auditor password), or when a newly added target cannot be assessed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, comparisonLines, runAcceptable } from '../../src/report/compare-runs.js';
import type { ResultsDocument, TargetResult } from '../../src/report/results-document.js';
import type { Verdict } from '../../src/controls/verdict.js';

const target = (name: string, controls: Record<string, Verdict>): TargetResult => ({
  name,
  engine: 'postgres',
  endpoint: `${name}:5432`,
  profile: 'baseline',
  server: {},
  controls,
  reasons: {},
  scenarios: [],
  reports: { html: `${name}/report.html`, junit: `${name}/junit.xml`, messages: `${name}/messages.ndjson` },
  durationMs: 1,
});

const run = (startedAt: string, targets: TargetResult[]): ResultsDocument => ({
  tool: { name: 'dbcomply', version: '0.1.0' },
  startedAt,
  finishedAt: startedAt,
  complete: true,
  targets,
});

const lastNight = run('2026-01-01T00:00:00.000Z', [
  target('orders', { 'transport.tls1.2': 'passed', 'transport.no-tls1.0': 'passed' }),
  target('legacy', { 'transport.tls1.2': 'passed', 'transport.no-tls1.0': 'failed', 'audit.audit-extension': 'undecided' }),
]);

test('--fail-on new: the same debt as last night (still failing, still undecided) passes', () => {
  const tonight = compareRuns(run('2026-01-02T00:00:00.000Z', lastNight.targets), lastNight, 'previous');
  assert.equal(runAcceptable(tonight, 'new'), true);
  assert.equal(runAcceptable(tonight, 'any'), false);
});

test('--fail-on new: a control decided last night and undecided tonight (the server went dark) fails the run', () => {
  const tonight = compareRuns(
    run('2026-01-02T00:00:00.000Z', [
      target('orders', { 'transport.tls1.2': 'undecided', 'transport.no-tls1.0': 'undecided' }),
      lastNight.targets[1],
    ]),
    lastNight,
    'previous',
  );
  assert.equal(tonight.comparison?.counts['newly-undecided'], 2);
  assert.equal(runAcceptable(tonight, 'new'), false, 'an undecided control is never a pass, new or not');
});

test('--fail-on new: a target added since last night that cannot be assessed is newly undecided and fails the run', () => {
  const tonight = compareRuns(
    run('2026-01-02T00:00:00.000Z', [...lastNight.targets, target('billing', { 'transport.tls1.2': 'undecided', 'transport.no-tls1.0': 'skipped' })]),
    lastNight,
    'previous',
  );
  assert.equal(tonight.targets.find((one) => one.name === 'billing')?.trend?.['transport.tls1.2'], 'newly-undecided');
  assert.ok(comparisonLines(tonight).includes('    newly undecided: billing transport.tls1.2'));
  assert.equal(runAcceptable(tonight, 'new'), false);
});

/** A target whose Azure configuration disagrees with its behaviour on `aspects`. */
const disagreeing = (name: string, aspects: string[]): TargetResult => ({
  ...target(name, { 'transport.tls1.2': 'passed' }),
  configurationVsBehaviour: {
    rows: aspects.map((aspect) => ({ aspect, configured: 'TLS 1.2 minimum', observed: 'completed', agrees: false })),
    disagreements: aspects.length,
  },
});

test('--fail-on new: a configuration/behaviour disagreement the previous run did not show fails the run; the same one again is known debt', () => {
  const before = run('2026-01-01T00:00:00.000Z', [disagreeing('orders', ['TLS 1.0 handshake'])]);
  const same = compareRuns(run('2026-01-02T00:00:00.000Z', [disagreeing('orders', ['TLS 1.0 handshake'])]), before, 'previous');
  assert.equal(runAcceptable(same, 'new'), true);
  const worse = compareRuns(run('2026-01-02T00:00:00.000Z', [disagreeing('orders', ['TLS 1.0 handshake', 'Entra-only authentication'])]), before, 'previous');
  assert.deepEqual(worse.targets[0].newDisagreements, ['Entra-only authentication']);
  assert.equal(runAcceptable(worse, 'new'), false, 'README: a disagreement is a finding that fails the run');
  assert.ok(comparisonLines(worse).includes('    new configuration/behaviour disagreement: orders Entra-only authentication'));
  const newTarget = compareRuns(run('2026-01-02T00:00:00.000Z', [disagreeing('billing', ['TLS required'])]), before, 'previous');
  assert.equal(runAcceptable(newTarget, 'new'), false, 'a new target that disagrees is new');
});
