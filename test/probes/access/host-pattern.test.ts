import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesEveryClient } from '../../../src/probes/access/host-pattern.js';

for (const [pattern, every] of [
  ['%', true],
  ['', true],
  ['_%', true],
  ['%%', true],
  ['%.%.%.%', true],
  ['%:%', true],
  ['0.0.0.0/0.0.0.0', true],
  ['127.0.0.1', false],
  ['localhost', false],
  ['10.%', false],
  ['10.9.%', false],
  ['%.example.com', false],
  ['10.0.0.0/255.0.0.0', false],
  ['10.0.0.0/0.0.0.0', false],
  ['\\%', false],
  ['1%', false],
] as const) {
  test(`host pattern '${pattern}' ${every ? 'matches' : 'does not match'} every client`, () => assert.equal(matchesEveryClient(pattern), every));
}
