/**
 * Settings changed in the configuration files that take effect only at the next restart, on a real
 * server: ALTER SYSTEM turning archive_mode off and taking pgaudit out of shared_preload_libraries
 * leaves the running values passing, with pg_settings.pending_restart set. The controls that rely
 * on them are undecided instead of passing what the next restart undoes.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { auditExtension } from '../../../src/probes/audit/audit-extension.js';
import { pitrReady } from '../../../src/probes/backup/pitr-ready.js';
import { decideCheck } from '../../support/decide-check.js';
import { asPostgresAdmin as asAdmin, reloadLabPostgres } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

test('archive_mode off and pgaudit unloaded at the next restart: still on now, and undecided, not passed', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-pending-restart', server, 'baseline');
    assert.equal((await decideCheck(pitrReady, target)).decision.verdict, 'passed');
    assert.equal((await decideCheck(auditExtension, target)).decision.verdict, 'passed');
    await reloadLabPostgres(server, ["ALTER SYSTEM SET archive_mode = 'off'", "ALTER SYSTEM SET shared_preload_libraries = 'auth_delay'"]);
    const pending = await asAdmin(server, ["SELECT name, setting FROM pg_settings WHERE pending_restart AND name IN ('archive_mode', 'shared_preload_libraries') ORDER BY name"]);
    assert.deepEqual(pending, [{ name: 'archive_mode', setting: 'on' }, { name: 'shared_preload_libraries', setting: 'auth_delay,pgaudit' }]);

    const archiving = (await decideCheck(pitrReady, target)).decision;
    assert.equal(archiving.verdict, 'undecided', archiving.reason);
    assert.match(archiving.reason, /WAL is archived now, but archive_mode has a changed value in the configuration files that takes effect at the next restart/);
    const auditing = (await decideCheck(auditExtension, target)).decision;
    assert.equal(auditing.verdict, 'undecided', auditing.reason);
    assert.match(auditing.reason, /shared_preload_libraries has a changed value/);
  } finally {
    await server.stop();
  }
});
