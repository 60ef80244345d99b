import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summaryLines } from '../../src/cli/terminal-summary.js';
import type { TargetResult } from '../../src/report/results-document.js';

function result(origin?: string): TargetResult {
  return {
    name: 'azure-pg-example',
    engine: 'postgres',
    endpoint: 'exampleserver',
    profile: 'baseline',
    ...(origin ? { origin } : {}),
    controls: { 'network.no-open-firewall': 'passed' },
    reasons: { 'network.no-open-firewall': 'no rule opens the server' },
    server: {},
  } as unknown as TargetResult;
}

test('a target assessed on the Azure stand-in says so on the terminal, as the report does', () => {
  const lines = summaryLines(result('Azure stand-in (not Azure): exampleserver, derived from the official example payloads'));
  assert.match(lines[0], /^azure-pg-example +baseline +network +PASSED/);
  assert.ok(lines.includes('    origin: Azure stand-in (not Azure): exampleserver, derived from the official example payloads'), lines.join('\n'));
});

test('a real server gets no origin line', () => {
  const lines = summaryLines(result());
  assert.ok(!lines.some((line) => line.includes('origin:')), lines.join('\n'));
});

test('a lab server with an identity stand-in is no Azure stand-in: no origin line', () => {
  const lines = summaryLines(result('local lab server: PostgreSQL 15, configuration "hardened", local-process, with a local identity stand-in for Entra ID'));
  assert.ok(!lines.some((line) => line.includes('origin:')), lines.join('\n'));
});
