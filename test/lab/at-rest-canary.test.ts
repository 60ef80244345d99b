import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { filesHoldingPlaintext } from '../../src/probes/rest/plaintext-search.js';
import { installCleanupOnSignals, startLocalServer, stopAllLocalServers, type LocalServer } from '../../src/lab/local-server.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

/**
 * rest.tablespaces-encrypted, checked on the host: a plaintext canary row written to the server
 * must be nowhere in its data, redo log, binary log or temporary files when it is encrypted at rest,
 * and must be found in them when it is not (which proves the search can find it).
 */
async function filesHolding(server: LocalServer, canary: string): Promise<string[]> {
  // The server's own text logs are not data at rest (and never hold row values); the socket is not a file to read.
  const search = await filesHoldingPlaintext(server.workDirectory!, canary, (name) => /^(server\.log|server_audit\.log)$/.test(name) || name.endsWith('.sock'));
  assert.ok(search.searched.length > 10, `the search covered the server's files: ${search.searched.join(', ')}`);
  return search.holding;
}

function writeCanary(server: LocalServer, canary: string): void {
  // Root over the unix socket (unix_socket authentication: no password). FLUSH ... FOR EXPORT writes
  // the table's pages to its .ibd file now instead of at a later checkpoint.
  execFileSync('mariadb', ['--no-defaults', `--socket=${join(server.workDirectory!, 'mariadb.sock')}`, '--user=root'], {
    input: [
      `CREATE TABLE ${server.database}.canary (id INT PRIMARY KEY, secret VARCHAR(100)) ENGINE=InnoDB;`,
      `INSERT INTO ${server.database}.canary VALUES (1, '${canary}');`,
      `FLUSH TABLES ${server.database}.canary FOR EXPORT;`,
      'UNLOCK TABLES;',
      'FLUSH BINARY LOGS;',
    ].join('\n'),
    timeout: 30_000,
  });
}

test('rest.tablespaces-encrypted on the host: a canary row is absent from every file of the encrypted MariaDB and present in the unencrypted one', async () => {
  const [encrypted, plain] = await Promise.all([startLocalServer('mysql', 'hardened', { mode: 'process' }), startLocalServer('mysql', 'unencrypted-at-rest', { mode: 'process' })]);
  const canary = `DBC_CANARY_${randomBytes(8).toString('hex')}`;
  writeCanary(encrypted, canary);
  writeCanary(plain, canary);

  const inPlain = await filesHolding(plain, canary);
  assert.ok(inPlain.some((file) => /canary\.ibd$/.test(file)), `the unencrypted table file holds the canary: ${inPlain.join(', ')}`);
  assert.ok(inPlain.some((file) => /ib_logfile0$/.test(file)), `the unencrypted redo log holds the canary: ${inPlain.join(', ')}`);
  assert.ok(inPlain.some((file) => /binlog\.\d+$/.test(file)), `the unencrypted binary log holds the canary: ${inPlain.join(', ')}`);

  const inEncrypted = await filesHolding(encrypted, canary);
  assert.deepEqual(inEncrypted, [], `the encrypted server holds the canary in plaintext in: ${inEncrypted.join(', ')}`);
  // The same search found the table, redo and binary log files of the encrypted server too.
  const files = (await readdir(encrypted.workDirectory!, { recursive: true })).map(String);
  for (const expected of [/canary\.ibd$/, /ib_logfile0$/, /binlog\.\d+$/]) assert.ok(files.some((file) => expected.test(file)), `${expected} exists on the encrypted server`);
  await Promise.all([encrypted.stop(), plain.stop()]);
});
