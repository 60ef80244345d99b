import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeManifest } from '../../src/evidence/manifest.js';
import type { ResultsDocument, TargetResult } from '../../src/report/results-document.js';

const target = (name: string, server: TargetResult['server']): TargetResult => ({
  name,
  engine: 'postgres',
  endpoint: '127.0.0.1:5432',
  profile: 'baseline',
  server,
  controls: {},
  reasons: {},
  scenarios: [],
  reports: { html: `${name}/report.html`, junit: `${name}/junit.xml`, messages: `${name}/messages.ndjson` },
  durationMs: 1,
});

const document: ResultsDocument = {
  tool: { name: 'dbcomply', version: '0.0.0' },
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  complete: true,
  targets: [
    target('measured', { version: '15.1', clockOffset: { offsetMs: -3.5, errorBarMs: 0.2, roundTripMs: 0.4, measuredAt: '2026-01-01T00:00:00.500Z', samples: 3 } }),
    target('unobservable', { clockOffset: { offsetMs: 'unknown', reason: 'the harness could not look: permission denied' } }),
    target('not-run', {}),
  ],
};

test('the manifest carries the harness clock offset as given (an offset with its source, or unknown with the reason) and each measured server offset', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dbcomply-manifest-'));
  await writeFile(join(dir, 'results.json'), '{}');
  const given = { offsetMs: 'unknown' as const, reason: 'no time service answered with an offset: chronyc tracking: not installed', readAt: '2026-01-01T00:00:00.000Z' };
  const statement = await writeManifest(dir, document, { harnessClockOffset: Promise.resolve(given) });
  const written = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  assert.deepEqual(written, JSON.parse(JSON.stringify(statement)));
  assert.deepEqual(written.predicate.harnessClockOffset, given);
  const byName = Object.fromEntries(written.predicate.targets.map((entry: { name: string }) => [entry.name, entry]));
  assert.deepEqual(byName.measured.serverClockOffset, { offsetMs: -3.5, errorBarMs: 0.2, roundTripMs: 0.4, measuredAt: '2026-01-01T00:00:00.500Z', samples: 3 });
  assert.deepEqual(byName.unobservable.serverClockOffset, { offsetMs: 'unknown', reason: 'the harness could not look: permission denied' });
  assert.equal('serverClockOffset' in byName['not-run'], false, 'audit.clock-sync did not run, so no server offset is claimed');
});

test('without a harness clock reading given, the manifest asks the OS itself and never writes a bare 0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dbcomply-manifest-'));
  const { predicate } = await writeManifest(dir, document, {});
  const clock = predicate.harnessClockOffset;
  if (clock.offsetMs === 'unknown') assert.match(clock.reason, /^no time service answered with an offset: chronyc tracking: /);
  else assert.ok(clock.source && Number.isFinite(clock.offsetMs));
  assert.ok(Date.parse(clock.readAt) > 0);
});
