import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostPatternsMeet, mysqlLikePattern } from '../../../src/probes/catalog/mysql-like-pattern.js';

test('a LIKE pattern: % and _ are wildcards, a backslash escapes them, case is ignored', () => {
  assert.ok(mysqlLikePattern('test\\_%').test('test_ops'));
  assert.ok(!mysqlLikePattern('test\\_%').test('testops'));
  assert.ok(mysqlLikePattern('10.%').test('10.1.2.3'));
  assert.ok(mysqlLikePattern('LOCALHOST').test('localhost'));
});

for (const [rowHost, accountHost, meet] of [
  ['%', '127.0.0.1', true],
  ['127.0.0.1', '%', true],
  ['127.0.0.1', '127.0.0.1', true],
  ['127.0.0.1', '10.%', false],
  ['10.%', '10.0.0.5', true],
  ['10.%', 'localhost', false],
  ['', 'anything', true],
] as const) {
  test(`hostPatternsMeet: a row for '${rowHost}' and an account at '${accountHost}' -> ${meet}`, () => {
    assert.equal(hostPatternsMeet(rowHost, accountHost), meet);
  });
}
