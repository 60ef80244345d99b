/**
 * Once a run has written its reports, the CLI exits, whatever else still holds Node's event loop
 * (a driver's socket to a server that hangs, an SDK's keep-alive agent): a CI job must not hang
 * until it is killed, and the kill must not rewrite a complete run as partial. The stand-in for
 * "whatever else" is a listening socket that a preloaded module opens and never closes.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-command.js';

const work = await mkdtemp(join(tmpdir(), 'dbcomply-exits-'));
after(() => rm(work, { recursive: true, force: true }));

const HELD_OPEN = `--import=data:text/javascript,${encodeURIComponent('import { createServer } from "node:net"; createServer().listen(0, "127.0.0.1");')}`;

test('a finished run exits with its status although a socket is still open', async () => {
  const out = join(work, 'run');
  const started = Date.now();
  const result = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed&timeout=500', '--tags', '@area:transport', '--out', out], {
    env: { NODE_OPTIONS: HELD_OPEN },
    timeoutMs: 60_000,
  });
  assert.equal(result.code, 1, result.stderr);
  assert.ok(Date.now() - started < 30_000, `exited ${Date.now() - started} ms after the start`);
  assert.equal(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')).complete, true, 'the run is not rewritten as interrupted');
  assert.match(result.stderr, /still held open after the run/);
});

test('a usage error exits 2 although a socket is still open', async () => {
  const result = await runCli(['verify', join(work, 'nowhere')], { env: { NODE_OPTIONS: HELD_OPEN }, timeoutMs: 60_000 });
  assert.equal(result.code, 2, result.stderr);
});
