/**
 * backup.pitr-ready on a real MariaDB whose binary log filters the reading account may not see: a
 * filter (binlog-ignore-db) can leave the application's database out of the binary log, so the
 * control may not pass without having read them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { pitrReady } from '../../../src/probes/backup/pitr-ready.js';
import { decideCheck } from '../../support/decide-check.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';

after(() => stopAllLocalServers());

test('binary log filters unreadable (auditor without BINLOG MONITOR): backup.pitr-ready is undecided, not passed', async () => {
  const server = await startLocalServer('mysql', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('mariadb-filters-unread', server, 'baseline');
    const readable = (await decideCheck(pitrReady, target)).decision;
    assert.equal(readable.verdict, 'passed', readable.reason);
    assert.match(readable.reason, /no database filter \(SHOW MASTER STATUS\)/);

    await asMariaDbRoot(server)('REVOKE BINLOG MONITOR ON *.* FROM auditor@`127.0.0.1`');
    const unread = (await decideCheck(pitrReady, target)).decision;
    assert.equal(unread.verdict, 'undecided', unread.reason);
    assert.match(unread.reason, /database filters \(binlog-do-db, binlog-ignore-db\) could not be read \(.*1227.*\).*whether it logs every database cannot be told/);
  } finally {
    await server.stop();
  }
});
