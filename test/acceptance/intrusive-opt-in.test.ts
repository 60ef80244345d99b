/**
 * Intrusive probes (lockout, default-admin guessing) never run unless the target opts in. The
 * proof comes from the server itself: its log records every failed login, and after a run
 * without the opt-in it holds none for the accounts only those probes try. The same run with the
 * opt-in shows the log would have told.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { runTarget } from '../../src/runner/run-target.js';

const INTRUSIVE = ['auth.lockout', 'auth.no-default-admin'];
/** A failed login, as PostgreSQL and MariaDB log it, for the accounts only the intrusive probes try. */
const FAILED_LOGIN_OF_GUESSED_ACCOUNT = /(password authentication failed for user "|Access denied for user ')(lockout_probe|postgres|admin|root|sa|mysql)["']/g;

const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-intrusive-'));
after(async () => {
  await stopAllLocalServers();
  await rm(outDir, { recursive: true, force: true });
});

const failedGuessedLogins = (log: string) => log.match(FAILED_LOGIN_OF_GUESSED_ACCOUNT)?.length ?? 0;

for (const engine of ['postgres', 'mysql'] as const) {
  test(`${engine}: without the opt-in no intrusive probe touches the server; with it, they do`, async () => {
    const server = await startLocalServer(engine, 'hardened');
    try {
      const polite = await runTarget(targetForLocalServer(`${engine}-polite`, server, 'baseline', false), outDir, '@area:auth');
      for (const id of INTRUSIVE) {
        assert.equal(polite.controls[id], 'skipped', `${id} without the opt-in`);
        assert.match(polite.reasons[id], /intrusive probe .* --intrusive/);
      }
      assert.equal(failedGuessedLogins(server.serverLog!()), 0, 'the server saw no failed login for a lockout or admin account');

      const intrusive = await runTarget(targetForLocalServer(`${engine}-intrusive`, server, 'baseline', true), outDir, '@area:auth');
      for (const id of INTRUSIVE) assert.equal(intrusive.controls[id], 'passed', `${id}: ${intrusive.reasons[id]}`);
      assert.ok(failedGuessedLogins(server.serverLog!()) >= 5, 'the server log records the guesses once they are allowed');
    } finally {
      await server.stop();
    }
  });
}
