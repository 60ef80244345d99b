import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionAspects, knownConnectionAspects, logsConnections } from '../../../src/probes/audit/connection-aspects.js';

test("log_connections as aspects: a boolean before 18 and 18's lists are one reading; 'on' is receipt, authentication, authorization", () => {
  const ON = ['authentication', 'authorization', 'receipt'];
  for (const [value, aspects, logs, known] of [
    ['on', ON, true, true],
    ['YES', ON, true, true],
    ['1', ON, true, true],
    ['off', [], false, true],
    ['false', [], false, true],
    ['', [], false, true],
    ['receipt,authentication,authorization', ON, true, true],
    ['"receipt", authorization', ['authorization', 'receipt'], false, true],
    ['all', [...ON, 'setup_durations'], true, true],
    ['receipt,all', [...ON, 'setup_durations'], true, true],
    ['maybe', ['maybe'], false, false],
  ] as const) {
    assert.deepEqual([...connectionAspects(value)].sort(), [...aspects].sort(), value);
    assert.equal(logsConnections(value), logs, value);
    assert.equal(knownConnectionAspects(value), known, value);
  }
});
