import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import type { Check } from '../../../src/probes/check.js';
import { tablespacesEncrypted } from '../../../src/probes/rest/tablespaces-encrypted.js';
import { decide, labTarget } from '../audit/data-plane-checks-lab.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

const check = tablespacesEncrypted as Check<unknown>;

/**
 * Once a false pass: InnoDB encryption covers InnoDB only, so a user table in another engine kept
 * its rows in plaintext on an otherwise encrypted server, and the control passed.
 */
test('rest.tablespaces-encrypted on a real encrypted MariaDB: a user table in MyISAM or Aria (not PAGE-encrypted) fails the control, named', async () => {
  const { server, target } = await labTarget('mysql', 'hardened');
  try {
    const root = asMariaDbRoot(server);
    const before = await decide(check, target);
    assert.equal(before.verdict, 'passed', before.reason);

    await root(`CREATE TABLE ${server.database}.notes_myisam (id INT PRIMARY KEY, note VARCHAR(100)) ENGINE=MyISAM; INSERT INTO ${server.database}.notes_myisam VALUES (1, 'plaintext on disk')`);
    await root(`CREATE TABLE ${server.database}.notes_aria (id INT PRIMARY KEY, note VARCHAR(100)) ENGINE=Aria ROW_FORMAT=PAGE; INSERT INTO ${server.database}.notes_aria VALUES (1, 'plaintext on disk')`);
    const after = await decide(check, target);
    assert.equal(after.verdict, 'failed', after.reason);
    assert.match(after.reason, new RegExp(`${server.database}\\.notes_myisam \\(MyISAM`));
    assert.match(after.reason, new RegExp(`${server.database}\\.notes_aria \\(Aria`));
  } finally {
    await server.stop();
  }
});
