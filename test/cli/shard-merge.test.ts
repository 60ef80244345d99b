/**
 * merge(shards) equals the unsharded run, control for control, on real servers (a hardened and a
 * legacy PostgreSQL) and closed ports; the shards list their targets in another order.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { runCli, type CommandResult } from './run-command.js';
import type { ResultsDocument } from '../../src/report/results-document.js';

const work = await mkdtemp(join(tmpdir(), 'dbcomply-shards-'));
const COUNT = 3;
let targets: string[] = [];
let unsharded: CommandResult;
const shardDirs = Array.from({ length: COUNT }, (_, index) => join(work, `shard-${index + 1}`));

before(async () => {
  const servers = await Promise.all([startLocalServer('postgres', 'hardened'), startLocalServer('postgres', 'legacy')]);
  targets = [
    ...servers.map((server, index) => `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${server.database}?sslrootcert=${server.caFile}&name=${['pg-hardened', 'pg-legacy'][index]}`),
    // The default 5 s timeout: a refused loopback connection is immediate, and a short limit could expire under load and change a reason.
    ...['closed-a', 'closed-b', 'closed-c', 'closed-d'].map((name) => `mysql://app:pw@127.0.0.1:1/app?name=${name}`),
  ];
  const flags = (list: string[]) => list.flatMap((url) => ['--target', url]);
  unsharded = await runCli(['run', ...flags(targets), '--tags', '@area:transport', '--out', join(work, 'unsharded')]);
  for (const [index, dir] of shardDirs.entries()) {
    const run = await runCli(['run', ...flags([...targets].reverse()), '--tags', '@area:transport', '--shard', `${index + 1}/${COUNT}`, '--out', dir]);
    assert.match(run.stdout, new RegExp(`^dbcomply: shard ${index + 1}/${COUNT}: \\d of 6 targets$`, 'm'));
  }
});
after(async () => {
  await stopAllLocalServers();
  await rm(work, { recursive: true, force: true });
});

const results = async (dir: string): Promise<ResultsDocument> => JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));

test('merge of the shards equals the unsharded run, control for control, and verifies', async () => {
  const out = join(work, 'merged');
  const merged = await runCli(['merge', ...shardDirs, '--out', out]);
  assert.equal(merged.code, unsharded.code, merged.stdout + merged.stderr);
  const whole = await results(join(work, 'unsharded'));
  const combined = await results(out);
  assert.deepEqual(combined.targets.map((target) => target.name).sort(), whole.targets.map((target) => target.name).sort());
  assert.equal(combined.configFingerprint, whole.configFingerprint, 'the target order does not change the fingerprint');
  for (const target of whole.targets) {
    const other = combined.targets.find((candidate) => candidate.name === target.name)!;
    assert.deepEqual(other.controls, target.controls, `${target.name}: same verdicts`);
    assert.deepEqual(other.reasons, target.reasons, `${target.name}: same reasons`);
    assert.equal(other.server.version, target.server.version);
  }
  assert.ok(Object.values(whole.targets.find((target) => target.name === 'pg-legacy')!.controls).includes('failed'), 'the comparison covers failures');
  assert.equal(combined.complete, true);
  const junit = await readFile(join(out, 'junit.xml'), 'utf8');
  assert.equal(junit.match(/<testsuite /g)?.length, 6);
  const overview = await readFile(join(out, 'report.html'), 'utf8');
  assert.equal(overview.match(/<tr data-name=/g)?.length, 6);
  assert.equal((await runCli(['verify', out, '--hashes-only'])).code, 0, 'the merged run is unsigned: its hashes hold');
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.predicate.shardHarnessClockOffsets.map((entry: { shard: string }) => entry.shard), shardDirs, 'each shard keeps the clock of the harness that measured it');
  for (const [index, entry] of manifest.predicate.shardHarnessClockOffsets.entries()) {
    const shardManifest = JSON.parse(await readFile(join(shardDirs[index], 'manifest.json'), 'utf8'));
    assert.deepEqual(entry.harnessClockOffset, shardManifest.predicate.harnessClockOffset);
  }
  assert.ok((await readFile(join(out, 'pg-legacy', 'report.html'))).length > 1000, 'per-target reports are copied beside the overview');
});

test('merge refuses a missing shard, a shard of another configuration and an edited shard', async () => {
  const missing = await runCli(['merge', shardDirs[0], shardDirs[1], '--out', join(work, 'm1')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /refused: shard 3\/3 missing/);
  const otherConfig = join(work, 'other-config');
  await runCli(['run', ...targets.flatMap((url) => ['--target', url]), '--tags', '@control:transport.tls1.3', '--shard', `3/${COUNT}`, '--out', otherConfig]);
  const mixed = await runCli(['merge', shardDirs[0], shardDirs[1], otherConfig, '--out', join(work, 'm2')]);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /configuration fingerprint .* differs/);
  const edited = join(work, 'edited');
  await cp(shardDirs[2], edited, { recursive: true });
  const text = await readFile(join(edited, 'results.json'), 'utf8');
  await writeFile(join(edited, 'results.json'), text.replace(/"failed"/, '"passed"').replace(/"undecided"/, '"passed"'));
  const laundered = await runCli(['merge', shardDirs[0], shardDirs[1], edited, '--out', join(work, 'm3')]);
  assert.equal(laundered.code, 2);
  assert.match(laundered.stderr, /edited does not verify against its manifest \(changed results\.json\)/);
});
