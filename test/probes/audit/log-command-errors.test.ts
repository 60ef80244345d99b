/**
 * A declared log command that hangs or prints too much leaves audit.failed-logins-recorded
 * undecided; the reason must say which, and what to change, not "Command failed: sleep 100".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogSource } from '../../../src/probes/audit/log-source.js';

test('a log command that does not finish within the timeout is named as such', async () => {
  await assert.rejects(LogSource.from({ command: ['sleep', '100'] }, 500).readAll(), /the log command sleep did not finish within 500 ms/);
});

test('a log command that prints more than the harness reads says so and how to bound it', async () => {
  // 17 MiB of output, more than one read keeps.
  await assert.rejects(
    LogSource.from({ command: ['head', '-c', String(17 * 1024 * 1024), '/dev/zero'] }, 10_000).readAll(),
    /the log command head printed more than 16 MiB: bound what it prints \(e\.g\. journalctl -n 100000 or --since\)/,
  );
});

test('a log command that exits with an error status names the status', async () => {
  await assert.rejects(LogSource.from({ command: ['sh', '-c', 'echo no permission >&2; exit 3'] }, 2000).readAll(), /the log command sh exited with status 3: no permission/);
});
