import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeAtRest, tablespacesEncrypted, type AtRestEvidence, type TablespaceState } from '../../../src/probes/rest/tablespaces-encrypted.js';
import { reasonNotApplicable } from '../../../src/controls/applicability.js';
import { ACTIVE, settings, target } from '../audit/settings-fixtures.js';

const ON = { innodb_encrypt_tables: 'FORCE', innodb_encrypt_log: 'ON', encrypt_binlog: 'ON', encrypt_tmp_files: 'ON', log_bin: 'ON', innodb_encrypt_temporary_tables: 'ON' };
const KEYS = [ACTIVE('file_key_management', 'ENCRYPTION')];
const space = (id: number, name: string, encrypted: boolean): TablespaceState => ({ space: id, name, encrypted, detail: encrypted ? 'ENCRYPTION_SCHEME 1' : 'not in INNODB_TABLESPACES_ENCRYPTION (no encryption data)' });
const ALL_ENCRYPTED = [space(0, 'innodb_system', true), space(1, 'mysql/innodb_table_stats', true), space(5, 'app/customers', true), space(0xfffffffe, 'innodb_temporary', false)];
const evidence = (values: Record<string, string | null | Error>, tablespaces: TablespaceState[], plugins = KEYS): AtRestEvidence => ({
  settings: settings(values, plugins),
  tablespaces,
  listedFrom: 'test',
});

const cases: Array<{ name: string; evidence: AtRestEvidence; verdict: string; reason: RegExp }> = [
  { name: 'plugin active, every tablespace, log, binlog and temp files encrypted', evidence: evidence(ON, ALL_ENCRYPTED), verdict: 'passed', reason: /all 4 InnoDB tablespaces.*encrypt_binlog on/ },
  { name: 'binary log off: nothing to encrypt there', evidence: evidence({ ...ON, log_bin: 'OFF', encrypt_binlog: 'OFF' }, ALL_ENCRYPTED), verdict: 'passed', reason: /binary log off/ },
  { name: 'a tablespace not listed in the encryption table is unencrypted', evidence: evidence(ON, [...ALL_ENCRYPTED, space(7, 'app/orders', false)]), verdict: 'failed', reason: /1 of 5 tablespaces are not encrypted: app\/orders/ },
  { name: 'system tablespace missing from the list', evidence: evidence(ON, ALL_ENCRYPTED.filter((t) => t.space !== 0)), verdict: 'failed', reason: /system tablespace \(space 0\) is not listed/ },
  { name: 'system tablespace unencrypted', evidence: evidence(ON, [space(0, 'innodb_system', false), ...ALL_ENCRYPTED.slice(1)]), verdict: 'failed', reason: /innodb_system/ },
  { name: 'temporary tablespace, innodb_encrypt_temporary_tables off', evidence: evidence({ ...ON, innodb_encrypt_temporary_tables: 'OFF' }, ALL_ENCRYPTED), verdict: 'failed', reason: /innodb_temporary/ },
  { name: 'no encryption plugin', evidence: evidence(ON, ALL_ENCRYPTED, []), verdict: 'failed', reason: /no encryption plugin is installed/ },
  { name: 'encryption plugin disabled', evidence: evidence(ON, ALL_ENCRYPTED, [{ name: 'file_key_management', status: 'DISABLED', type: 'ENCRYPTION' }]), verdict: 'failed', reason: /no encryption plugin is active/ },
  { name: 'redo log not encrypted', evidence: evidence({ ...ON, innodb_encrypt_log: 'OFF' }, ALL_ENCRYPTED), verdict: 'failed', reason: /innodb_encrypt_log = 'OFF'/ },
  { name: 'binlog on but not encrypted', evidence: evidence({ ...ON, encrypt_binlog: 'OFF' }, ALL_ENCRYPTED), verdict: 'failed', reason: /encrypt_binlog = 'OFF'/ },
  { name: 'temp files not encrypted', evidence: evidence({ ...ON, encrypt_tmp_files: 'OFF' }, ALL_ENCRYPTED), verdict: 'failed', reason: /encrypt_tmp_files/ },
  { name: 'MySQL 8 without MariaDB encrypt_* settings: absent is not on', evidence: evidence({ ...ON, encrypt_tmp_files: null }, ALL_ENCRYPTED), verdict: 'failed', reason: /encrypt_tmp_files is absent/ },
  { name: 'no tablespace listed proves nothing', evidence: evidence(ON, []), verdict: 'undecided', reason: /empty list proves nothing/ },
  { name: 'unreadable setting', evidence: evidence({ ...ON, innodb_encrypt_log: new Error('denied') }, ALL_ENCRYPTED), verdict: 'undecided', reason: /could not be read/ },
];

for (const { name, evidence: given, verdict, reason } of cases) {
  test(`rest.tablespaces-encrypted judge: ${name} -> ${verdict}`, () => {
    const judgement = tablespacesEncrypted.judge(given, target('mysql'));
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
    assert.deepEqual(judgeAtRest(given), judgement);
  });
}

test('rest.tablespaces-encrypted on PostgreSQL is skipped as not decidable on the data plane', () => {
  assert.match(reasonNotApplicable('rest.tablespaces-encrypted', target('postgres')) ?? '', /not decidable on the data plane.*plane controls/);
  assert.equal(reasonNotApplicable('rest.tablespaces-encrypted', target('mysql')), undefined);
});
