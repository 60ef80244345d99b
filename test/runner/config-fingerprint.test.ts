import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFingerprint, type FingerprintedRun } from '../../src/runner/config-fingerprint.js';

const run: FingerprintedRun = { declared: [], tags: '@area:transport', demo: false, profile: 'baseline', intrusive: false, toolVersion: '0.1.0' };

test('--run-id enters the fingerprint only when given: shards of two runs differ, a run without one hashes as before', () => {
  // The value before --run-id existed, so shards written by an earlier build still merge with new ones.
  // SHA-256 of {"demo":false,"intrusive":false,"profile":"baseline","tags":"@area:transport","targets":[],"toolVersion":"0.1.0"}.
  assert.equal(configFingerprint(run), '97bb8ff7a10ac0a8c54bcca102876c5b2026229bf39a8e3e369428c65bde908b');
  assert.notEqual(configFingerprint({ ...run, runId: 'night-1' }), configFingerprint(run));
  assert.notEqual(configFingerprint({ ...run, runId: 'night-1' }), configFingerprint({ ...run, runId: 'night-0' }));
  assert.equal(configFingerprint({ ...run, runId: 'night-1' }), configFingerprint({ ...run, runId: 'night-1' }));
});
