import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CucumberExpression, ParameterType, ParameterTypeRegistry, RegularExpression } from '@cucumber/cucumber-expressions';

const require = createRequire(import.meta.url);

test('regexp-match-indices is the native stand-in, not the polyfill that parses every step with regexp-tree', () => {
  const cucumberExpressions = require.resolve('@cucumber/cucumber-expressions');
  const inUse = require.resolve('regexp-match-indices', { paths: [cucumberExpressions] });
  assert.match(inUse, /vendor\/regexp-match-indices\/index\.js$/);
  assert.throws(() => require.resolve('regexp-tree', { paths: [inUse] }), /Cannot find module/);
});

test("Cucumber's step matching through it: each argument's text and offset, optional groups, nested groups", () => {
  const registry = new ParameterTypeRegistry();
  registry.defineParameterType(new ParameterType('tlsVersion', /TLS 1\.[0-3]/, null, (text: string) => text.replace(' ', 'v')));
  const offers = new CucumberExpression('a client offers only {tlsVersion} to {string} (again)', registry);
  const [version, host] = offers.match('a client offers only TLS 1.2 to "db.example" again')!;
  assert.equal(version.getValue(undefined), 'TLSv1.2');
  assert.equal(version.group.start, 21);
  assert.equal(version.group.end, 28);
  assert.equal(host.getValue(undefined), 'db.example');
  assert.equal(host.group.start, 32);
  assert.equal(offers.match('a client offers only SSL 3.0 to "x"'), null);

  const nested = new RegularExpression(/^(\d+) roles? x ((\d+) databases?)(?: over (TLS))?$/, registry);
  const withTls = nested.match('8 roles x 3 databases over TLS')!;
  assert.deepEqual(
    withTls.map((argument) => [argument.group.value, argument.group.start, argument.group.end]),
    [
      ['8', 0, 1],
      ['3 databases', 10, 21],
      ['TLS', 27, 30],
    ],
  );
  assert.deepEqual((withTls[1].group.children ?? []).map((child) => [child.value, child.start]), [['3', 10]]);
  const without = nested.match('1 role x 1 database')!;
  assert.equal(without[2].group.value, undefined);
});

test('a global expression keeps its lastIndex in step with the copy that measures it', () => {
  const exec = require('regexp-match-indices') as (regexp: RegExp, text: string) => RegExpExecArray & { indices: Array<[number, number]> } | null;
  const words = /(\w)\w*/g;
  const first = exec(words, 'ab cd')!;
  assert.deepEqual(first.indices[1], [0, 1]);
  assert.equal(words.lastIndex, 2);
  const second = exec(words, 'ab cd')!;
  assert.deepEqual(second.indices[1], [3, 4]);
  assert.equal(exec(words, 'ab cd'), null);
  assert.equal(words.lastIndex, 0);
});
