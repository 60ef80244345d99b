import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awaitMarker } from '../../../src/probes/audit/detonation.js';
import type { LogReader } from '../../../src/probes/audit/log-reader.js';

/** A log that never names the marker, counting how often it is read. */
function silentLog(): LogReader<number> & { reads: number } {
  return {
    reads: 0,
    describe: () => 'a log that stays silent',
    position: async () => 0,
    readAll: async () => '',
    async readSince() {
      this.reads++;
      return 'an unrelated line\n';
    },
  };
}

test('the wait for the marker stops at an aborted signal, mid-wait, and polls no more', async () => {
  const log = silentLog();
  const controller = new AbortController();
  const started = performance.now();
  setTimeout(() => controller.abort(), 150);
  await assert.rejects(awaitMarker(log, 0, 'dbcomply_marker', 60_000, controller.signal), { name: 'AbortError' });
  assert.ok(performance.now() - started < 2000, 'it did not wait out the 60 s');
  const polls = log.reads;
  // What must not come is a poll: no condition to wait for, only time in which a stray poll would show.
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(log.reads, polls, 'no poll after the abort');
});

test('without an abort, the wait ends at its timeout with every poll counted', async () => {
  const log = silentLog();
  const search = await awaitMarker(log, 0, 'dbcomply_marker', 300);
  assert.deepEqual(search.found, []);
  assert.equal(search.polls, log.reads);
  assert.ok(search.waitedMs >= 300);
});
