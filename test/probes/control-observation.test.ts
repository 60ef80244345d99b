/**
 * The pipeline's deadline reaches the read: a read that outlasts its time budget is told so through
 * its signal (and the control is undecided), and closing the target's context tells every read
 * still running that the run is over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineCheck } from '../../src/probes/check.js';
import { observeControl, observeWith } from '../../src/probes/control-observation.js';
import { TargetContext } from '../../src/probes/target-context.js';
import { passed } from '../../src/controls/judgement.js';
import { target } from './audit/settings-fixtures.js';

/** A read that never finishes by itself: it ends only when its signal aborts, and says when that was. */
function readUntilAborted(seen: { abortedAfterMs?: number }) {
  return defineCheck<string>({
    id: 'audit.clock-sync',
    evidenceTitle: 'a read that waits for its signal',
    timeBudgetMs: () => 100,
    read: (_context, signal) => {
      const started = performance.now();
      return new Promise((resolve) =>
        signal.addEventListener('abort', () => {
          seen.abortedAfterMs = performance.now() - started;
          resolve('stopped');
        }),
      );
    },
    judge: () => passed('never reached'),
  });
}

test('a read that outlasts its time budget is aborted through its signal, and the control is undecided', async () => {
  const seen: { abortedAfterMs?: number } = {};
  const context = new TargetContext(target('postgres'));
  try {
    const observation = await observeControl(context, readUntilAborted(seen));
    assert.equal(observation.kind, 'unobservable');
    assert.match((observation as { reason: string }).reason, /^the harness gave up: observing audit\.clock-sync did not finish within 100 ms/);
    assert.ok(seen.abortedAfterMs !== undefined, 'the read was told that its budget is spent');
    assert.ok(seen.abortedAfterMs >= 90 && seen.abortedAfterMs < 2000, `aborted after ${seen.abortedAfterMs} ms`);
  } finally {
    await context.close();
  }
});

test("closing the target's context aborts the reads still running", async () => {
  const seen: { abortedAfterMs?: number } = {};
  const context = new TargetContext(target('postgres'));
  const direct = context.onPath('direct');
  const observing = observeWith(readUntilAborted(seen), context);
  assert.equal(direct.closed.aborted, false);
  setTimeout(() => void context.close(), 50);
  const observation = await observing;
  assert.deepEqual(observation, { kind: 'observed', evidence: 'stopped' });
  assert.ok(seen.abortedAfterMs !== undefined && seen.abortedAfterMs < 2000);
  assert.equal(direct.closed.aborted, true, 'a view on another TLS path shares the lifetime');
});
