import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binlogsFrom } from '../../../src/lab/restore-drill/binlog-chain.js';

const cases: Array<{ name: string; first: string; listed: string[]; files: string[]; missing: string[] }> = [
  { name: 'every file from the backup position on', first: 'binlog.000002', listed: ['binlog.000001', 'binlog.000002', 'binlog.000003'], files: ['binlog.000002', 'binlog.000003'], missing: [] },
  { name: 'the file of the backup position purged', first: 'binlog.000001', listed: ['binlog.000002', 'binlog.000003'], files: ['binlog.000001', 'binlog.000002', 'binlog.000003'], missing: ['binlog.000001'] },
  { name: 'a file in the middle gone', first: 'binlog.000001', listed: ['binlog.000001', 'binlog.000003'], files: ['binlog.000001', 'binlog.000002', 'binlog.000003'], missing: ['binlog.000002'] },
  { name: 'no binary log listed at all', first: 'binlog.000004', listed: [], files: ['binlog.000004'], missing: ['binlog.000004'] },
  { name: 'files of another base name are not part of the chain', first: 'binlog.000009', listed: ['other.000010', 'binlog.000009', 'binlog.000010'], files: ['binlog.000009', 'binlog.000010'], missing: [] },
  { name: 'a sequence number past 999999 keeps its width', first: 'binlog.999999', listed: ['binlog.999999', 'binlog.1000000'], files: ['binlog.999999', 'binlog.1000000'], missing: [] },
];

for (const { name, first, listed, files, missing } of cases) {
  test(`backup.restore-drill binary log chain: ${name}`, () => {
    assert.deepEqual(binlogsFrom(first, listed), { files, missing });
  });
}
