import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { runCli } from './run-command.js';

const outRoot = await mkdtemp(join(tmpdir(), 'dbcomply-cli-'));
after(async () => {
  await stopAllLocalServers();
  await rm(outRoot, { recursive: true, force: true });
});

test('usage errors exit 2 and name the flag', async () => {
  const unknownFlag = await runCli(['run', '--targte', 'postgres://db/x']);
  assert.equal(unknownFlag.code, 2);
  assert.match(unknownFlag.stderr, /--targte/);
  const badProfile = await runCli(['run', '--target', 'postgres://db/x', '--profile', 'paranoid']);
  assert.equal(badProfile.code, 2);
  assert.match(badProfile.stderr, /--profile/);
  const noTarget = await runCli(['run']);
  assert.equal(noTarget.code, 2);
  assert.match(noTarget.stderr, /--target/);
  const badEngine = await runCli(['run', '--target', 'oracle://db/x']);
  assert.equal(badEngine.code, 2);
  assert.match(badEngine.stderr, /--target #1: unknown engine "oracle"/);
});

test('a hardened server passes every transport control and the run exits 0', async () => {
  const server = await startLocalServer('postgres', 'hardened');
  const out = join(outRoot, 'hardened');
  const url = `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${server.database}?sslrootcert=${server.caFile}&name=pg`;
  const run = await runCli(['run', '--target', url, '--out', out, '--tags', '@area:transport']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^pg\s+baseline\s+transport\s+PASSED\s+11 passed, 1 skipped$/m);
  assert.match(run.stdout, /^Report: .*report\.html$/m);
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  assert.equal(results.targets[0].server.version.split('.')[0], server.serverVersion.split('.')[0]);
  await server.stop();
});

test('an unreachable target is undecided, never passed, and the run exits 1 within its timeout', async () => {
  const out = join(outRoot, 'unreachable');
  const started = performance.now();
  const run = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app?name=nothing&timeout=1000', '--out', out, '--tags', '@area:transport']);
  assert.equal(run.code, 1);
  assert.ok(performance.now() - started < 30_000);
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  const verdicts = new Set(Object.values(results.targets[0].controls));
  assert.deepEqual([...verdicts].filter((verdict) => verdict !== 'skipped'), ['undecided']);
});
