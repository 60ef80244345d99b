/**
 * `dbcomply run --help` is where a new user learns the --target URL: it must show the password
 * coming from an environment variable (passwordEnv), as the README does, not written into the URL
 * where `ps` and the shell history show it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './run-command.js';

test('run --help shows --target with passwordEnv, never a password in the URL', async () => {
  const help = await runCli(['run', '--help']);
  assert.equal(help.code, 0, help.stderr);
  const target = help.stdout.slice(help.stdout.indexOf('--target'), help.stdout.indexOf('--config'));
  assert.match(target.replace(/\s+/g, ' '), /passwordEnv=VAR/);
  assert.doesNotMatch(target, /user:password@/);
});
