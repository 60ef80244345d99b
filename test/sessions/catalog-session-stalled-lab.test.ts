/**
 * Catalog reads take turns on one connection, each with the whole timeout from its turn. When the
 * connection stops answering (its backend stalls: a lock, a hung disk, a stopped process), a read
 * that ran out of time left its query on the connection and every later read queued behind it in
 * the driver, each running out of time in turn: a target's few dozen reads took one timeout each,
 * one after another (seen on lab PostgreSQL 15: six reads, six timeouts in a row), where before the
 * reads took turns they all ended within one. A read that runs out of time now gives the connection
 * up, and the next logs in again: the reads after it are answered by a fresh backend, and when the
 * whole server has stopped, that login runs out of time once and the rest end at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installCleanupOnSignals, stopAllLocalServers, type LocalServer } from '../../src/lab/local-server.js';
import { CannotObserve } from '../../src/controls/observation.js';
import { CatalogSession } from '../../src/sessions/catalog-session.js';
import type { Target } from '../../src/targets/target.js';
import { labTarget } from '../probes/audit/data-plane-checks-lab.js';
import { asPostgresAdmin } from '../support/postgres-admin.js';

installCleanupOnSignals();
after(stopAllLocalServers);

const TIMEOUT_MS = 1_000;
const READS = 6;

/** Stops the processes (SIGSTOP) while `work` runs, and lets them go on afterwards, whatever happens. */
async function stalled<T>(pids: number[], work: () => Promise<T>): Promise<T> {
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  try {
    return await work();
  } finally {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  }
}

async function readsAtOnce(session: CatalogSession): Promise<{ outcomes: PromiseSettledResult<unknown>[]; elapsedMs: number }> {
  const started = performance.now();
  const outcomes = await Promise.allSettled(Array.from({ length: READS }, (_, index) => session.read(`read ${index}`, (sql) => sql.query(`SELECT ${index} AS n`))));
  return { outcomes, elapsedMs: performance.now() - started };
}

describe('a catalog connection that stops answering holds up the reads after it for one timeout, not one each (real PostgreSQL)', () => {
  let server: LocalServer;
  let target: Target;

  before(async () => {
    ({ server, target } = await labTarget('postgres', 'hardened'));
    target = { ...target, timeoutMs: TIMEOUT_MS };
  });

  test('its backend stalled: the read on it runs out of time, the reads after it are answered by a new login', async () => {
    const session = new CatalogSession(target);
    try {
      const { result } = await session.read('the backend', (sql) => sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'));
      const { outcomes, elapsedMs } = await stalled([result[0].pid], () => readsAtOnce(session));
      const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []));
      assert.equal(failures.length, 1, failures.join('\n'));
      assert.ok(outcomes[0].status === 'rejected' && outcomes[0].reason instanceof CannotObserve);
      assert.match(failures[0], /reading read 0 did not finish within 1000 ms/);
      assert.ok(elapsedMs < 3 * TIMEOUT_MS, `${READS} reads took ${Math.round(elapsedMs)} ms`);
    } finally {
      await session.close();
    }
  });

  test('the whole server stalled: the read runs out of time, the login after it too, and the rest end at once, undecided', async () => {
    const session = new CatalogSession(target);
    try {
      const { result } = await session.read('the backend', (sql) => sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'));
      const postmaster = Number((await readFile(join(server.workDirectory!, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]);
      const { outcomes, elapsedMs } = await stalled([postmaster, result[0].pid], () => readsAtOnce(session));
      assert.ok(outcomes.every((outcome) => outcome.status === 'rejected' && outcome.reason instanceof CannotObserve), JSON.stringify(outcomes));
      assert.ok(elapsedMs < 3.5 * TIMEOUT_MS, `${READS} reads took ${Math.round(elapsedMs)} ms`);
    } finally {
      await session.close();
    }
    // The server answers again once it goes on: the stop did not break the lab.
    assert.deepEqual(await asPostgresAdmin(server, ['SELECT 1 AS n']), [{ n: 1 }]);
  });
});

describe('a read asked from inside another read of the same session (real PostgreSQL)', () => {
  test('is refused at once, where it waited for a turn the outer read held until that one ran out of time', async () => {
    const { target } = await labTarget('postgres', 'hardened');
    const session = new CatalogSession({ ...target, timeoutMs: 3_000 });
    try {
      const started = performance.now();
      const { result } = await session.read('the outer read', async (sql) => {
        const inner = await session.read('the inner read', (again) => again.query('SELECT 1 AS n')).then(
          () => 'answered',
          (error: unknown) => String(error),
        );
        return { inner, rows: await sql.query<{ n: number }>('SELECT 2 AS n') };
      });
      assert.match(result.inner, /reading the inner read was asked from inside another read of the same catalog session/);
      assert.deepEqual(result.rows, [{ n: 2 }]);
      assert.ok(performance.now() - started < 1_500, `took ${Math.round(performance.now() - started)} ms`);
      // Reads after it, and reads of another session from inside one, go on as before.
      const other = new CatalogSession(target);
      try {
        const nested = await session.read('the outer read again', () => other.read('another session', (sql) => sql.query<{ n: number }>('SELECT 3 AS n')));
        assert.deepEqual(nested.result.result, [{ n: 3 }]);
      } finally {
        await other.close();
      }
    } finally {
      await session.close();
    }
  });
});

describe('a read still waiting for its turn when the session is closed (real PostgreSQL)', () => {
  test('ends undecided and logs nobody in again: the run has let its sessions go', async () => {
    const { server, target } = await labTarget('postgres', 'hardened');
    const session = new CatalogSession(target);
    const slow = session.read('a slow read', (sql) => sql.query('SELECT pg_sleep(0.5)'));
    const waiting = session.read('a read behind it', (sql) => sql.query('SELECT 1 AS n'));
    await session.close();
    await assert.rejects(slow, CannotObserve);
    await assert.rejects(waiting, /cannot read a read behind it: the catalog session was closed \(the target's run ended\) before this read had its turn/);
    // The server ends a backend a moment after its client leaves: poll, bounded.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [{ sessions }] = await asPostgresAdmin<{ sessions: number }>(server, [`SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE usename = '${target.auditor}'`]);
      if (sessions === 0) break;
      assert.ok(Date.now() < deadline, `${sessions} catalog sessions of ${target.auditor} still open 10 s after close`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A read asked after the close logs in again (the configuration comparison reads after the run), and is answered.
    const { result } = await session.read('a read after the close', (sql) => sql.query<{ n: number }>('SELECT 1 AS n'));
    assert.deepEqual(result, [{ n: 1 }]);
    await session.close();
  });
});
