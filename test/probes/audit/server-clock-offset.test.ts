import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TargetContext } from '../../../src/probes/target-context.js';
import { observeControl } from '../../../src/probes/control-observation.js';
import { clockSync } from '../../../src/probes/audit/clock-sync.js';
import { serverClockOffsetOf } from '../../../src/probes/audit/server-clock-offset.js';
import { target } from './settings-fixtures.js';

test('no audit.clock-sync observation: no server clock offset is claimed, and asking opens no connection', async () => {
  const context = new TargetContext(target('postgres'));
  assert.equal(await serverClockOffsetOf(context), undefined);
  assert.equal(context.madeAlready(`control:${clockSync.id}`), undefined, 'asking made no observation of its own');
});

test('an observation that could not look is recorded as unknown with its reason', async () => {
  // No account is declared, so the clock cannot be read (and nothing is dialled: port 1 on loopback in any case).
  const context = new TargetContext({ ...target('postgres'), host: '127.0.0.1', port: 1, timeoutMs: 2000 });
  const observation = await observeControl(context, clockSync);
  assert.equal(observation.kind, 'unobservable');
  assert.match((observation as { reason: string }).reason, /no auditor account/);
  const recorded = await serverClockOffsetOf(context);
  assert.equal(recorded?.offsetMs, 'unknown');
  assert.equal((recorded as { reason: string }).reason, (observation as { reason: string }).reason);
  await context.close();
});
