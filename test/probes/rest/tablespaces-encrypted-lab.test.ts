import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import type { Check } from '../../../src/probes/check.js';
import { tablespacesEncrypted } from '../../../src/probes/rest/tablespaces-encrypted.js';
import { filesHoldingPlaintext } from '../../../src/probes/rest/plaintext-search.js';
import { decide, labTarget } from '../audit/data-plane-checks-lab.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

const check = tablespacesEncrypted as Check<unknown>;

/**
 * Once a false pass: InnoDB encryption covers InnoDB only, so a user table in another engine kept
 * its rows in plaintext on an otherwise encrypted server, and the control passed. The host search
 * shows which tables really are plaintext on disk, so the verdict is checked against the files.
 */
test('rest.tablespaces-encrypted on a real encrypted MariaDB: MyISAM and non-PAGE Aria user tables fail the control, named; an Aria PAGE table made with aria_encrypt_tables on and a MEMORY table do not', async () => {
  const { server, target } = await labTarget('mysql', 'hardened');
  try {
    const root = asMariaDbRoot(server);
    const before = await decide(check, target);
    assert.equal(before.verdict, 'passed', before.reason);
    assert.match(before.reason, /1 user tables in 1 schemas examined \(InnoDB 1\)/);

    const canary = `DBC_CANARY_${randomBytes(8).toString('hex')}`;
    const db = server.database;
    for (const [table, options] of [['notes_myisam', 'ENGINE=MyISAM'], ['notes_aria_dynamic', 'ENGINE=Aria ROW_FORMAT=DYNAMIC'], ['notes_aria_page', 'ENGINE=Aria ROW_FORMAT=PAGE TRANSACTIONAL=0'], ['notes_aria_logged', 'ENGINE=Aria ROW_FORMAT=PAGE'], ['notes_memory', 'ENGINE=MEMORY']]) {
      await root(`CREATE TABLE ${db}.${table} (id INT PRIMARY KEY, note VARCHAR(100) NOT NULL) ${options}; INSERT INTO ${db}.${table} VALUES (1, '${canary}_${table}')`);
    }
    await root(`FLUSH TABLES`);
    const after = await decide(check, target);
    assert.equal(after.verdict, 'failed', after.reason);
    assert.match(after.reason, /3 user tables keep their rows unencrypted outside InnoDB: app\.notes_aria_dynamic \(Aria ROW_FORMAT=Dynamic: only PAGE tables are encrypted\), app\.notes_aria_logged \(Aria, transactional: its rows reach the Aria log, aria_log\.\*, unencrypted\), app\.notes_myisam \(MyISAM: never encrypted\) \(6 user tables in 1 schemas examined \(Aria 3, InnoDB 1, MEMORY 1, MyISAM 1\)\)/);
    assert.doesNotMatch(after.reason, /notes_aria_page|notes_memory/);

    // What the judgement says is on disk in plaintext, and only that, is.
    const search = await filesHoldingPlaintext(server.workDirectory!, canary, (name) => /^(server\.log|server_audit\.log)$/.test(name) || name.endsWith('.sock'));
    const holding = search.holding.map((file) => file.replace(/^.*\//, ''));
    assert.ok(holding.includes('notes_myisam.MYD'), holding.join(', '));
    assert.ok(holding.includes('notes_aria_dynamic.MAD'), holding.join(', '));
    assert.ok(!holding.some((file) => /notes_aria_page|notes_memory/.test(file)), holding.join(', '));
    // Each table's own canary, file by file: the transactional Aria table's row is in the Aria log.
    const perTable = await Promise.all(['notes_aria_page', 'notes_aria_logged', 'notes_memory'].map(async (table) => [table, (await filesHoldingPlaintext(server.workDirectory!, `${canary}_${table}`, () => false)).holding.map((file) => file.replace(/^.*\//, ''))] as const));
    assert.deepEqual(Object.fromEntries(perTable), { notes_aria_page: [], notes_aria_logged: ['aria_log.00000001'], notes_memory: [] });
  } finally {
    await server.stop();
  }
});

test('rest.tablespaces-encrypted on a real encrypted MariaDB: an auditor that may not see every table, or Aria tables of unknown encryption, leave it undecided, never passed', async () => {
  const { server, target } = await labTarget('mysql', 'hardened');
  try {
    const root = asMariaDbRoot(server);
    await root(`REVOKE SHOW VIEW ON *.* FROM 'auditor'@'127.0.0.1'`);
    const hidden = await decide(check, target);
    assert.equal(hidden.verdict, 'undecided', hidden.reason);
    assert.match(hidden.reason, /may not see every user table: 'auditor'@'127\.0\.0\.1' holds no global table privilege .*grant it SHOW VIEW ON \*\.\*/);
    assert.match(hidden.reason, /no user table outside the system schemas/);

    await root(`GRANT SHOW VIEW ON *.* TO 'auditor'@'127.0.0.1'; SET GLOBAL aria_encrypt_tables = ON; CREATE TABLE ${server.database}.notes_aria_page (id INT PRIMARY KEY) ENGINE=Aria ROW_FORMAT=PAGE TRANSACTIONAL=0`);
    const aria = await decide(check, target);
    assert.equal(aria.verdict, 'undecided', aria.reason);
    assert.match(aria.reason, /app\.notes_aria_page \(Aria PAGE TRANSACTIONAL=0, but aria_encrypt_tables was set over SQL/);
  } finally {
    await server.stop();
  }
});

test('rest.tablespaces-encrypted on the plaintext-engine-table lab variant fails for its MyISAM table, everything else encrypted', async () => {
  const { server, target } = await labTarget('mysql', 'plaintext-engine-table');
  try {
    const decided = await decide(check, target);
    assert.equal(decided.verdict, 'failed', decided.reason);
    assert.match(decided.reason, /^data at rest is not all encrypted: 1 user tables keep their rows unencrypted outside InnoDB: app\.notes_myisam \(MyISAM: never encrypted\) \(2 user tables in 1 schemas examined \(InnoDB 1, MyISAM 1\)\)$/);
  } finally {
    await server.stop();
  }
});
