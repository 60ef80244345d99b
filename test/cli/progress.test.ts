import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-command.js';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';

const work = await mkdtemp(join(tmpdir(), 'dbcomply-progress-'));
after(() => rm(work, { recursive: true, force: true }));

// Closed ports: cheap, deterministic, every control undecided.
const closed = (name: string) => ['--target', `mysql://app:pw@127.0.0.1:1/app?name=${name}`];
const args = (out: string, ...names: string[]) => ['run', ...names.flatMap(closed), '--tags', '@control:transport.tls1.3', '--out', join(work, out)];

/** Runs the CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function onTerminal(cliArgs: string[]): Promise<string> {
  const command = [process.execPath, join(PACKAGE_ROOT, 'bin', 'dbcomply.js'), ...cliArgs].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', command, '/dev/null'], { timeout: 60_000, encoding: 'utf8' }, (error, stdout) => (error && error.code !== 1 ? reject(error) : resolve(stdout)));
  });
}

test('not a terminal: no progress line unless --progress, then one plain line per finished target', async () => {
  const quiet = await runCli(args('quiet', 'a', 'b', 'c'));
  assert.doesNotMatch(quiet.stdout + quiet.stderr, /targets \d+\/\d+ done/);
  const asked = await runCli([...args('asked', 'a', 'b', 'c'), '--progress']);
  assert.match(asked.stderr, /^progress: targets 1\/3 done, 0 with failures, 1 with undecided controls, \d+ s$/m);
  assert.match(asked.stderr, /^progress: targets 3\/3 done, 0 with failures, 3 with undecided controls, \d+ s$/m);
  assert.doesNotMatch(asked.stderr, /\r|targets 0\/3/);
});

test('on a terminal: one line rewritten in place for several targets, none for one, none with --no-progress', async () => {
  const several = await onTerminal(args('tty', 'a', 'b'));
  assert.match(several, /\r\x1b\[2Ktargets 0\/2 done/);
  assert.match(several, /\r\x1b\[2Ktargets 2\/2 done, 0 with failures, 2 with undecided controls/);
  assert.match(several, /(^|\r\x1b\[2K)a\s+baseline\s+transport\s+UNDECIDED[^\r\n]*\r?\n/m, 'the line is cleared before a summary line, which is printed whole');
  const one = await onTerminal(args('tty-one', 'a'));
  assert.doesNotMatch(one, /targets \d+\/\d+ done/);
  const off = await onTerminal([...args('tty-off', 'a', 'b'), '--no-progress']);
  assert.doesNotMatch(off, /targets \d+\/\d+ done/);
});
