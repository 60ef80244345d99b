/**
 * Every check of a target starts at once and shares one catalog connection, which runs one query
 * at a time. The timeout of a read bounds that read, not its wait behind the others: on a slow
 * machine the demo's last catalog reads ran out of time before they were sent ("reading the
 * application account's privileges did not finish within 5000 ms") and their controls were
 * undecided. A real lab PostgreSQL, with reads that each take a good part of the timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../src/lab/local-server.js';
import { CannotObserve } from '../../src/controls/observation.js';
import { CatalogSession } from '../../src/sessions/catalog-session.js';
import type { Target } from '../../src/targets/target.js';
import { labTarget } from '../probes/audit/data-plane-checks-lab.js';

installCleanupOnSignals();
after(stopAllLocalServers);

const TIMEOUT_MS = 2_000;
const READ_SECONDS = 0.6;
const READS = 5;

describe('the catalog session gives each read the whole timeout from its turn (real PostgreSQL)', () => {
  let target: Target;

  before(async () => {
    ({ target } = await labTarget('postgres', 'hardened'));
    target = { ...target, timeoutMs: TIMEOUT_MS };
  });

  test(`${READS} reads of ${READS * READ_SECONDS} s in all, asked at once, each finish within a ${TIMEOUT_MS} ms timeout`, async () => {
    const session = new CatalogSession(target);
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: READS }, (_, index) => session.read(`slow read ${index}`, (sql) => sql.query(`SELECT pg_sleep(${READ_SECONDS}), ${index} AS n`))),
      );
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
      assert.deepEqual(failures, []);
    } finally {
      await session.close();
    }
  });

  test('a read that outlasts its timeout still fails closed, and the session serves the reads after it', async () => {
    const session = new CatalogSession(target);
    try {
      const [slow, next] = await Promise.allSettled([
        session.read('a read that takes too long', (sql) => sql.query(`SELECT pg_sleep(${(TIMEOUT_MS * 1.5) / 1000})`)),
        session.read('the read after it', (sql) => sql.query('SELECT 1 AS n')),
      ]);
      assert.equal(slow.status, 'rejected');
      assert.ok(slow.reason instanceof CannotObserve);
      assert.match(slow.reason.message, /reading a read that takes too long did not finish within 2000 ms/);
      // The next read waits in the driver for the slow query to end (half a timeout), then is answered.
      assert.equal(next.status, 'fulfilled');
    } finally {
      await session.close();
    }
  });
});
