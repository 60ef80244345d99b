/**
 * The catalog is read only over TLS. A server that offers none (Debian's PostgreSQL cluster made
 * without a certificate, Debian's stock MariaDB) left every catalog control undecided with "cannot
 * log in as "auditor" with its password", which reads as a wrong password. The reason must say the
 * server offers no TLS and that the password was not sent. A real lab PostgreSQL with ssl = off.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers, type LocalServer } from '../../src/lab/local-server.js';
import { CannotObserve } from '../../src/controls/observation.js';
import { CatalogSession } from '../../src/sessions/catalog-session.js';
import type { Target } from '../../src/targets/target.js';
import { labTarget } from '../probes/audit/data-plane-checks-lab.js';
import { reloadLabPostgres } from '../support/postgres-admin.js';

installCleanupOnSignals();
after(stopAllLocalServers);

describe('the catalog session against a server without TLS (real PostgreSQL, ssl = off)', () => {
  let server: LocalServer;
  let target: Target;

  before(async () => {
    ({ server, target } = await labTarget('postgres', 'hardened'));
  });

  test('undecided, saying the server offers no TLS and no password was sent, not that the login failed', async () => {
    await reloadLabPostgres(server, ['ALTER SYSTEM SET ssl = off']);
    try {
      const session = new CatalogSession(target);
      const error = await session.read('the server version', (sql) => sql.query('SELECT version()')).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      await session.close();
      assert.ok(error instanceof CannotObserve, `expected CannotObserve, got ${String(error)}`);
      assert.match(error.message, /^cannot read the catalog as "[^"]+": the server offers no TLS, and the catalog is read only over TLS .*\(the password was not sent\)$/);
      assert.doesNotMatch(error.message, /cannot log in/);
    } finally {
      await reloadLabPostgres(server, ['ALTER SYSTEM RESET ssl']);
    }
  });
});
