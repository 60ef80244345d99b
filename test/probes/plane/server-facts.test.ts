import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parameterFacts } from '../../../src/probes/plane/server-facts.js';

/**
 * A server parameter's value is what is set, not always what runs: ARM says when a change waits for
 * a restart (PostgreSQL a boolean, MySQL the string "True"), and MySQL also gives currentValue.
 */
test('a server parameter set but not in force is told apart from one in force, in both services\' shapes', () => {
  const table: Array<[string, Record<string, unknown>, ReturnType<typeof parameterFacts>]> = [
    ['MySQL, in force (the example\'s own shape)', { value: 'OFF', isConfigPendingRestart: 'False' }, { value: 'OFF' }],
    ['PostgreSQL, in force', { value: 'on', isConfigPendingRestart: false }, { value: 'on' }],
    ['MySQL, pending a restart', { value: 'ON', isConfigPendingRestart: 'True' }, { value: 'ON', notInEffect: 'pending a restart (isConfigPendingRestart True)' }],
    ['PostgreSQL, pending a restart', { value: 'on', isConfigPendingRestart: true }, { value: 'on', notInEffect: 'pending a restart (isConfigPendingRestart true)' }],
    ['MySQL, the running value differs', { value: 'ON', currentValue: 'OFF' }, { value: 'ON', notInEffect: 'not what the server runs with (currentValue OFF)' }],
    ['MySQL, the running value the same in another case and order', { value: 'TLSv1.2,TLSv1.3', currentValue: 'tlsv1.3, TLSv1.2' }, { value: 'TLSv1.2,TLSv1.3' }],
    ['a value ARM gives as a number', { value: 1 }, { value: '1' }],
    ['no pending flag at all', { value: 'ON' }, { value: 'ON' }],
  ];
  for (const [label, parameter, expected] of table) assert.deepEqual(parameterFacts(parameter), expected, label);
});
