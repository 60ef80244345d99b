/**
 * The guessing probes (auth.lockout's wrong passwords, auth.no-default-admin's common passwords)
 * spend no further attempt once their check's deadline has passed: the control is undecided by
 * then, and a guess made after it would only lock or log for nothing. Real PostgreSQL, whose own
 * log shows every failed password.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { lockout } from '../../../src/probes/auth/lockout.js';
import { noDefaultAdmin } from '../../../src/probes/auth/default-admin.js';
import { observeWith } from '../../../src/probes/control-observation.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import type { Check } from '../../../src/probes/check.js';
import { AUTH_DELAY_MS } from '../../../src/lab/postgres-settings.js';
import { postgresLogCaughtUp } from '../../support/postgres-admin.js';

let server: LocalServer;
before(async () => {
  server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
});
after(() => stopAllLocalServers());

const logFile = () => server.logFiles?.[0] ?? assert.fail('the lab server names no log file');
const failedPasswords = async (offset: number) => ((await readFile(logFile(), 'utf8')).slice(offset).match(/password authentication failed/g) ?? []).length;

async function observeWithDeadline(check: Check, signal: AbortSignal, name: string) {
  const context = new TargetContext(targetForLocalServer(name, server, 'baseline', true));
  try {
    return await observeWith(check, context, signal);
  } finally {
    await context.close();
  }
}

for (const check of [lockout, noDefaultAdmin] as Check[]) {
  test(`${check.id}: a deadline already passed makes no guess and leaves the control unobserved`, async () => {
    const offset = (await readFile(logFile(), 'utf8')).length;
    const observation = await observeWithDeadline(check, AbortSignal.abort(new Error('the deadline passed')), `deadline-${check.id}`);
    assert.equal(observation.kind, 'unobservable');
    // No line can be waited for here: what must not come is a guess still in flight, whose refusal
    // auth_delay holds back; give it that long, then make sure the log has caught up.
    await new Promise((resolve) => setTimeout(resolve, AUTH_DELAY_MS));
    await postgresLogCaughtUp(server);
    assert.equal(await failedPasswords(offset), 0);
  });

  test(`${check.id}: without a deadline, the same probe does guess (the log shows it)`, async () => {
    const offset = (await readFile(logFile(), 'utf8')).length;
    const observation = await observeWithDeadline(check, new AbortController().signal, `no-deadline-${check.id}`);
    assert.equal(observation.kind, 'observed');
    // The probe heard every refusal, which the server logs before it answers.
    await postgresLogCaughtUp(server);
    assert.ok((await failedPasswords(offset)) > 0);
  });
}
