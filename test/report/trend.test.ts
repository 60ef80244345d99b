import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trendOf } from '../../src/report/trend.js';
import type { Verdict } from '../../src/controls/verdict.js';

test('trend of a cell: previous verdict x current verdict', () => {
  const table: Array<[Verdict | undefined, Verdict | undefined, string | undefined]> = [
    ['passed', 'failed', 'new-failure'],
    ['undecided', 'failed', 'new-failure'],
    ['skipped', 'failed', 'new-failure'],
    [undefined, 'failed', 'new-failure'],
    ['failed', 'failed', 'still-failing'],
    ['failed', 'passed', 'fixed'],
    ['failed', 'undecided', 'newly-undecided'],
    ['passed', 'undecided', 'newly-undecided'],
    ['skipped', 'undecided', 'newly-undecided'],
    ['undecided', 'undecided', undefined],
    [undefined, 'undecided', 'newly-undecided'],
    ['failed', 'skipped', undefined],
    ['passed', 'passed', undefined],
    ['undecided', 'passed', undefined],
    ['passed', 'skipped', undefined],
  ];
  for (const [previous, current, expected] of table) assert.equal(trendOf(previous, current), expected, `${previous} -> ${current}`);
});
