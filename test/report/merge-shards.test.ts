import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeShardResults, ShardMismatch, type ShardRun } from '../../src/report/merge-shards.js';
import { inShard, parseShard, shardOfName } from '../../src/runner/shard.js';
import type { ResultsDocument, TargetResult } from '../../src/report/results-document.js';

const names = Array.from({ length: 12 }, (_, index) => `db-${index}`);

function shardRun(index: number, count: number, overrides: Partial<ResultsDocument> = {}): ShardRun {
  const targets = inShard(names.map((name) => ({ name })), { index, count }).map(
    ({ name }) => ({ name, engine: 'postgres', endpoint: 'h:1', profile: 'baseline', server: {}, controls: { 'transport.tls1.3': 'passed' }, reasons: {}, scenarios: [], reports: { html: '', junit: '', messages: '' }, durationMs: 1 }) as TargetResult,
  );
  return {
    dir: `shard-${index}`,
    document: { tool: { name: 'dbcomply', version: '1.0.0' }, startedAt: `2026-01-01T00:00:0${index}Z`, finishedAt: `2026-01-01T00:01:0${index}Z`, complete: true, configFingerprint: 'abc', shard: { index, count, plannedTargets: names }, targets, ...overrides },
  };
}

test('--shard I/N: parsed 1-based, and a target lands in the same shard whatever the order or the other targets', () => {
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  for (const bad of ['0/4', '5/4', '1/0', '1', 'a/b', '-1/2']) assert.throws(() => parseShard(bad), /expected I\/N/);
  const forward = inShard(names.map((name) => ({ name })), { index: 2, count: 3 }).map((target) => target.name);
  const backward = inShard([...names].reverse().map((name) => ({ name })), { index: 2, count: 3 }).map((target) => target.name);
  assert.deepEqual([...backward].reverse(), forward);
  const all = [1, 2, 3].flatMap((index) => inShard(names.map((name) => ({ name })), { index, count: 3 }).map((target) => target.name));
  assert.deepEqual(all.sort(), [...names].sort(), 'every target is in exactly one shard');
  assert.equal(shardOfName('db-0', 3), shardOfName('db-0', 3));
  assert.ok(new Set(names.map((name) => shardOfName(name, 3))).size === 3, 'the hash spreads 12 names over 3 shards');
});

test('merge keeps the fleet order, the earliest start and latest end, and is complete only when every shard was', () => {
  const merged = mergeShardResults([shardRun(3, 3), shardRun(1, 3), shardRun(2, 3)]);
  assert.deepEqual(merged.targets.map((target) => target.name), names);
  assert.equal(merged.startedAt, '2026-01-01T00:00:01Z');
  assert.equal(merged.finishedAt, '2026-01-01T00:01:03Z');
  assert.equal(merged.complete, true);
  assert.deepEqual(merged.mergedFrom, ['shard-1', 'shard-2', 'shard-3']);
  assert.equal(merged.shard, undefined);
  assert.equal(mergeShardResults([shardRun(1, 3), shardRun(2, 3, { complete: false }), shardRun(3, 3)]).complete, false);
});

test('merge refuses shards of other tools, configurations or splits, duplicates and gaps', () => {
  const refused = (shards: ShardRun[], message: RegExp) => assert.throws(() => mergeShardResults(shards), (error: Error) => error instanceof ShardMismatch && message.test(error.message));
  refused([shardRun(1, 2), shardRun(2, 2, { tool: { name: 'dbcomply', version: '1.0.1' } })], /dbcomply 1\.0\.1, but shard-1 is 1\.0\.0/);
  refused([shardRun(1, 2), shardRun(2, 2, { configFingerprint: 'def' })], /configuration fingerprint def differs/);
  refused([shardRun(1, 2), shardRun(2, 2, { configFingerprint: undefined })], /fingerprint missing/);
  refused([shardRun(1, 2), shardRun(2, 3)], /shard 2\/3, but shard-1 is of 2/);
  refused([shardRun(1, 3), shardRun(2, 3)], /shard 3\/3 missing/);
  refused([shardRun(1, 2), shardRun(1, 2), shardRun(2, 2)], /shard 1\/2 given twice/);
  refused([shardRun(1, 2), { ...shardRun(2, 2), document: { ...shardRun(2, 2).document, shard: undefined } }], /not a shard/);
  const stray = shardRun(1, 2);
  stray.document.targets.push({ ...shardRun(2, 2).document.targets[0] });
  refused([stray, shardRun(2, 2)], /belongs to shard 2\/2, not 1/);
});
