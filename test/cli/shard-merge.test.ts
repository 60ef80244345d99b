/**
 * merge(shards) equals the unsharded run, control for control, on real servers (a hardened and a
 * legacy PostgreSQL) and closed ports; the shards list their targets in another order. Merge
 * fails closed on authenticity as verify does: signed shards are merged with --key, or on their
 * hashes alone with --hashes-only, which the merged manifest records; never silently unchecked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
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
  const merged = await runCli(['merge', ...shardDirs, '--out', out, '--hashes-only']);
  assert.equal(merged.code, unsharded.code, merged.stdout + merged.stderr);
  assert.match(merged.stdout, /shards accepted on their hashes alone \(--hashes-only\): their authenticity was not checked/);
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
  const failures = [...junit.matchAll(/<failure type="AssertionError" message="([^"]*)"/g)];
  assert.ok(failures.length > 0, 'the legacy server fails transport controls');
  for (const [, message] of failures) assert.doesNotMatch(message, /^AssertionError: /, 'a failed control: the verdict is the type, the message the reason');
  const overview = await readFile(join(out, 'report.html'), 'utf8');
  assert.equal(overview.match(/<tr data-name=/g)?.length, 6);
  assert.equal((await runCli(['verify', out, '--hashes-only'])).code, 0, 'the merged run is unsigned: its hashes hold');
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.predicate.shardHarnessClockOffsets.map((entry: { shard: string }) => entry.shard), shardDirs, 'each shard keeps the clock of the harness that measured it');
  for (const [index, entry] of manifest.predicate.shardHarnessClockOffsets.entries()) {
    const shardManifest = JSON.parse(await readFile(join(shardDirs[index], 'manifest.json'), 'utf8'));
    assert.deepEqual(entry.harnessClockOffset, shardManifest.predicate.harnessClockOffset);
  }
  assert.deepEqual(
    manifest.predicate.shardAuthenticity.map((entry: { shard: string; checked: string; detail: string }) => [entry.shard, entry.checked, entry.detail]),
    shardDirs.map((dir) => [dir, 'hashes-only', "every file's hash; the shard is unsigned (--hashes-only)"]),
  );
  assert.ok((await readFile(join(out, 'pg-legacy', 'report.html'))).length > 1000, 'per-target reports are copied beside the overview');
});

test('merge refuses a missing shard, a shard of another configuration and an edited shard', async () => {
  const missing = await runCli(['merge', shardDirs[0], shardDirs[1], '--out', join(work, 'm1'), '--hashes-only']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /refused: shard 3\/3 missing/);
  const otherConfig = join(work, 'other-config');
  await runCli(['run', ...targets.flatMap((url) => ['--target', url]), '--tags', '@control:transport.tls1.3', '--shard', `3/${COUNT}`, '--out', otherConfig]);
  const mixed = await runCli(['merge', shardDirs[0], shardDirs[1], otherConfig, '--out', join(work, 'm2'), '--hashes-only']);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /configuration fingerprint .* differs/);
  const edited = join(work, 'edited');
  await cp(shardDirs[2], edited, { recursive: true });
  const text = await readFile(join(edited, 'results.json'), 'utf8');
  await writeFile(join(edited, 'results.json'), text.replace(/"failed"/, '"passed"').replace(/"undecided"/, '"passed"'));
  const laundered = await runCli(['merge', shardDirs[0], shardDirs[1], edited, '--out', join(work, 'm3'), '--hashes-only']);
  assert.equal(laundered.code, 2);
  assert.match(laundered.stderr, /edited does not verify against its manifest \(changed results\.json\)/);
});

test('signed shards: merged with their key, refused with another key or with no key and no --hashes-only', async () => {
  const signing = generateKeyPairSync('ed25519');
  await writeFile(join(work, 'signing.pem'), signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  await writeFile(join(work, 'signing.pub'), signing.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  await writeFile(join(work, 'other.pub'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // Closed ports only: the signatures are what is under test, and a refused loopback connection is immediate.
  const closed = ['closed-a', 'closed-b', 'closed-c', 'closed-d'].flatMap((name) => ['--target', `mysql://app:pw@127.0.0.1:1/app?name=${name}`]);
  const signed = [1, 2].map((index) => join(work, `signed-${index}`));
  for (const [index, dir] of signed.entries()) {
    const run = await runCli(['run', ...closed, '--tags', '@area:transport', '--shard', `${index + 1}/2`, '--out', dir, '--signing-key', join(work, 'signing.pem')]);
    assert.equal(run.code, 1, run.stderr);
  }

  const unchecked = await runCli(['merge', ...signed, '--out', join(work, 's0')]);
  assert.equal(unchecked.code, 2, 'no key and no --hashes-only: nothing would vouch for the shards');
  assert.match(unchecked.stderr, /give --key PUBLIC_KEY to check every shard's signature, or --hashes-only/);
  const wrongKey = await runCli(['merge', ...signed, '--out', join(work, 's1'), '--key', join(work, 'other.pub')]);
  assert.equal(wrongKey.code, 2);
  assert.match(wrongKey.stderr, /signed-1 does not verify against its manifest \(invalid manifest\.dsse\.json\)/);
  const both = await runCli(['merge', ...signed, '--out', join(work, 's2'), '--key', join(work, 'signing.pub'), '--hashes-only']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--hashes-only: cannot be combined with --key/);

  const out = join(work, 's3');
  const merged = await runCli(['merge', ...signed, '--out', out, '--key', join(work, 'signing.pub')]);
  assert.equal(merged.code, 1, merged.stderr);
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.predicate.shardAuthenticity.map((entry: { checked: string }) => entry.checked), ['signature', 'signature']);
  assert.match(manifest.predicate.shardAuthenticity[0].detail, /^every file's hash and the signature with key [0-9a-f]{16}$/);

  const signedOverUnchecked = await runCli(['merge', ...signed, '--out', join(work, 's5'), '--hashes-only', '--signing-key', join(work, 'signing.pem')]);
  assert.equal(signedOverUnchecked.code, 2, 'a signature over shards nobody authenticated is refused');
  assert.match(signedOverUnchecked.stderr, /--hashes-only: cannot be combined with --signing-key/);

  const hashesOnly = await runCli(['merge', ...signed, '--out', join(work, 's4'), '--hashes-only']);
  assert.equal(hashesOnly.code, 1, hashesOnly.stderr);
  const recorded = JSON.parse(await readFile(join(work, 's4', 'manifest.json'), 'utf8')).predicate.shardAuthenticity;
  assert.equal(recorded[0].detail, "every file's hash; the shard is signed but its signature was not checked (--hashes-only)");
});
