import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeAtRest, tablespacesEncrypted, type AtRestEvidence, type TablespaceState } from '../../../src/probes/rest/tablespaces-encrypted.js';
import { reasonNotApplicable } from '../../../src/controls/applicability.js';
import { ACTIVE, settings, target } from '../audit/settings-fixtures.js';
import type { NonInnodbTable, UserTablesEvidence } from '../../../src/probes/rest/user-table-engines.js';

const ON = { innodb_encrypt_tables: 'FORCE', innodb_encrypt_log: 'ON', encrypt_binlog: 'ON', encrypt_tmp_files: 'ON', encrypt_tmp_disk_tables: 'ON', aria_encrypt_tables: 'ON', log_bin: 'ON', innodb_encrypt_temporary_tables: 'ON' };
const KEYS = [ACTIVE('file_key_management', 'ENCRYPTION')];
const space = (id: number, name: string, encrypted: boolean): TablespaceState => ({ space: id, name, encrypted, detail: encrypted ? 'ENCRYPTION_SCHEME 1' : 'not in INNODB_TABLESPACES_ENCRYPTION (no encryption data)' });
const ALL_ENCRYPTED = [space(0, 'innodb_system', true), space(1, 'mysql/innodb_table_stats', true), space(5, 'app/customers', true), space(0xfffffffe, 'innodb_temporary', false)];
const SEES_ALL = { allTables: true, how: "'auditor'@'%' holds SHOW VIEW on *.*, which shows every table" };
const APP_ONLY: UserTablesEvidence = { counts: [{ schema: 'app', engine: 'InnoDB', tables: 2 }], nonInnodb: [], nonInnodbTotal: 0, visibility: SEES_ALL };
/** User tables: two InnoDB ones in app, plus the given tables outside InnoDB (counted by schema and engine). */
function withTables(tables: NonInnodbTable[], visibility = SEES_ALL, nonInnodbTotal = tables.length): UserTablesEvidence {
  const counts = new Map<string, { schema: string; engine: string | null; tables: number }>([['app/InnoDB', { schema: 'app', engine: 'InnoDB', tables: 2 }]]);
  for (const table of tables) {
    const key = `${table.schema}/${table.engine}`;
    counts.set(key, { schema: table.schema, engine: table.engine, tables: (counts.get(key)?.tables ?? 0) + 1 });
  }
  return { counts: [...counts.values()], nonInnodb: tables, nonInnodbTotal, visibility };
}
const table = (name: string, engine: string | null, rowFormat: string | null = 'Fixed', createOptions = '', createdSinceStart: boolean | null = true, schema = 'app'): NonInnodbTable => ({ schema, name, engine, rowFormat, createOptions, createdSinceStart });
const ARIA_ENCRYPTED = table('aria_ok', 'Aria', 'Page', 'row_format=PAGE transactional=0');
const evidence = (values: Record<string, string | null | Error>, tablespaces: TablespaceState[], plugins = KEYS, userTables: UserTablesEvidence = APP_ONLY): AtRestEvidence => ({
  settings: settings(values, plugins),
  tablespaces,
  listedFrom: 'test',
  userTables,
});
/** Settings as read from the server's options, but aria_encrypt_tables set over SQL since the start. */
function ariaSetOverSql(): AtRestEvidence['settings'] {
  const read = settings(ON, KEYS);
  return { ...read, settings: read.settings.map((setting) => (setting.name === 'aria_encrypt_tables' && 'source' in setting ? { ...setting, source: 'SQL' } : setting)) };
}

const cases: Array<{ name: string; evidence: AtRestEvidence; verdict: string; reason: RegExp }> = [
  { name: 'plugin active, every tablespace, log, binlog and temp files encrypted', evidence: evidence(ON, ALL_ENCRYPTED), verdict: 'passed', reason: /all 4 InnoDB tablespaces.*encrypt_tmp_disk_tables, encrypt_binlog on; 2 user tables in 1 schemas examined \(InnoDB 2\), none in an engine that leaves rows unencrypted \('auditor'@'%' holds SHOW VIEW/ },
  // User tables outside InnoDB: InnoDB encryption never reaches them (once a false pass).
  { name: 'no user table at all: nothing more to encrypt, said so', evidence: evidence(ON, ALL_ENCRYPTED.filter((t) => !t.name.startsWith('app/')), KEYS, { counts: [], nonInnodb: [], nonInnodbTotal: 0, visibility: SEES_ALL }), verdict: 'passed', reason: /no user table outside the system schemas \(mysql, information_schema, performance_schema, sys\): nothing more to encrypt/ },
  { name: 'a MyISAM user table', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('notes', 'MyISAM')])), verdict: 'failed', reason: /1 user tables keep their rows unencrypted outside InnoDB: app\.notes \(MyISAM: never encrypted\) \(3 user tables in 1 schemas examined \(InnoDB 2, MyISAM 1\)\)/ },
  { name: 'CSV and ARCHIVE user tables in two schemas', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('export', 'CSV'), table('old', 'ARCHIVE', 'Compressed', '', true, 'sales')])), verdict: 'failed', reason: /2 user tables .*app\.export \(CSV: never encrypted\), sales\.old \(ARCHIVE: never encrypted\) \(4 user tables in 2 schemas examined/ },
  { name: 'more than ten plaintext tables: ten named, the rest counted', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables(Array.from({ length: 12 }, (_, i) => table(`t${String(i).padStart(2, '0')}`, 'MyISAM')))), verdict: 'failed', reason: /12 user tables keep .*app\.t09 \(MyISAM: never encrypted\), and 2 more \(14 user tables/ },
  { name: 'an Aria table not in PAGE format', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('log', 'Aria', 'Dynamic', 'row_format=DYNAMIC transactional=0')])), verdict: 'failed', reason: /app\.log \(Aria ROW_FORMAT=Dynamic: only PAGE tables are encrypted\)/ },
  { name: 'a transactional Aria PAGE table: its rows reach the Aria log unencrypted', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('log', 'Aria', 'Page', 'transactional=1')])), verdict: 'failed', reason: /app\.log \(Aria, transactional: its rows reach the Aria log, aria_log\.\*, unencrypted\)/ },
  { name: 'an Aria PAGE table with aria_encrypt_tables off', evidence: evidence({ ...ON, aria_encrypt_tables: 'OFF' }, ALL_ENCRYPTED, KEYS, withTables([ARIA_ENCRYPTED])), verdict: 'failed', reason: /app\.aria_ok \(Aria: aria_encrypt_tables = 'OFF'\)/ },
  { name: 'an Aria PAGE non-transactional table made since a start with aria_encrypt_tables on', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([ARIA_ENCRYPTED])), verdict: 'passed', reason: /3 user tables in 1 schemas examined \(InnoDB 2, Aria 1\), none/ },
  { name: 'an Aria PAGE table older than the server start: perhaps made before aria_encrypt_tables', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([{ ...ARIA_ENCRYPTED, createdSinceStart: false }])), verdict: 'undecided', reason: /app\.aria_ok \(Aria PAGE TRANSACTIONAL=0, but created before the server started/ },
  { name: 'an Aria PAGE table with aria_encrypt_tables set over SQL', evidence: { ...evidence(ON, ALL_ENCRYPTED, KEYS, withTables([ARIA_ENCRYPTED])), settings: ariaSetOverSql() }, verdict: 'undecided', reason: /aria_encrypt_tables was set over SQL/ },
  { name: 'Aria tables with aria_encrypt_tables unreadable', evidence: evidence({ ...ON, aria_encrypt_tables: new Error('denied') }, ALL_ENCRYPTED, KEYS, withTables([ARIA_ENCRYPTED])), verdict: 'undecided', reason: /app\.aria_ok \(Aria PAGE TRANSACTIONAL=0, but aria_encrypt_tables could not be read/ },
  { name: 'aria_encrypt_tables unreadable does not hide a MyISAM table', evidence: evidence({ ...ON, aria_encrypt_tables: new Error('denied') }, ALL_ENCRYPTED, KEYS, withTables([ARIA_ENCRYPTED, table('notes', 'MyISAM')])), verdict: 'failed', reason: /app\.notes \(MyISAM: never encrypted\).*aria_encrypt_tables could not be read/ },
  { name: 'aria_encrypt_tables unreadable without Aria tables does not matter', evidence: evidence({ ...ON, aria_encrypt_tables: new Error('denied') }, ALL_ENCRYPTED), verdict: 'passed', reason: /2 user tables in 1 schemas examined/ },
  { name: 'MEMORY and BLACKHOLE keep nothing on disk', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('cache', 'MEMORY'), table('sink', 'BLACKHOLE')])), verdict: 'passed', reason: /4 user tables in 1 schemas examined \(InnoDB 2, MEMORY 1, BLACKHOLE 1\)/ },
  { name: 'FEDERATED, SPIDER and CONNECT keep rows elsewhere: undecided, named', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('remote', 'FEDERATED'), table('shard', 'SPIDER'), table('file', 'CONNECT')])), verdict: 'undecided', reason: /3 user tables cannot be decided: app\.remote \(FEDERATED: rows on another server.*app\.shard \(SPIDER.*app\.file \(CONNECT: rows in an outside file/ },
  { name: 'an engine the check does not know', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('kv', 'ROCKSDB')])), verdict: 'undecided', reason: /app\.kv \(ROCKSDB: an engine this check does not know to encrypt\)/ },
  { name: 'a table whose engine could not be read', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('broken', null, null)])), verdict: 'undecided', reason: /app\.broken \(its engine could not be read\)/ },
  { name: 'more tables outside InnoDB than listed', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('cache', 'MEMORY')], SEES_ALL, 250)), verdict: 'undecided', reason: /249 more tables outside InnoDB were counted but not listed/ },
  { name: 'an auditor that may not see every table', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, { ...APP_ONLY, visibility: { allTables: false, how: 'no global table privilege' } }), verdict: 'undecided', reason: /may not see every user table: no global table privilege/ },
  { name: 'an auditor that sees no table at all: the empty list is not a pass', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, { counts: [], nonInnodb: [], nonInnodbTotal: 0, visibility: { allTables: false, how: 'no global table privilege' } }), verdict: 'undecided', reason: /may not see every user table.*; the InnoDB tablespace list names tables in 1 schemas information_schema\.TABLES did not show \(app\).*no user table outside the system schemas/ },
  { name: 'a plaintext table fails even when the auditor may not see them all', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('notes', 'MyISAM')], { allTables: false, how: 'no global table privilege' })), verdict: 'failed', reason: /app\.notes \(MyISAM.*may not see every user table/ },
  { name: 'user tables not read (evidence from before)', evidence: { settings: settings(ON, KEYS), tablespaces: ALL_ENCRYPTED, listedFrom: 'test' }, verdict: 'undecided', reason: /user tables were not read by engine/ },
  { name: 'the tablespace list names a user schema the table list did not show: cut short', evidence: evidence(ON, [...ALL_ENCRYPTED, space(9, 'hidden@002ddb/secrets', true)]), verdict: 'undecided', reason: /InnoDB tablespace list names tables in 1 schemas information_schema\.TABLES did not show \(hidden-db\)/ },
  { name: 'tablespaces of system schemas and of schemas shown are no sign of a cut', evidence: evidence(ON, [...ALL_ENCRYPTED, space(9, 'app/orders', true), space(10, 'sys/sys_config', true)]), verdict: 'passed', reason: /all 6 InnoDB tablespaces/ },
  // Where lower_case_table_names is 0, APP and app are two schemas: one the table list did not show.
  { name: 'a schema that differs from a shown one only in case is another schema', evidence: evidence(ON, [...ALL_ENCRYPTED, space(9, 'APP/orders', true)]), verdict: 'undecided', reason: /did not show \(APP\)/ },
  // MySQL writes é in a file name as @0p, from a table of its own: any two-character code may stand for it (the review's false undecided).
  { name: 'schemas with accented or other non-ASCII names are matched in their file-name form', evidence: evidence(ON, [...ALL_ENCRYPTED, space(9, 'caf@0p/t', true), space(10, '@1On@0vcode@002dDB/t', true)], KEYS, { ...APP_ONLY, counts: [...APP_ONLY.counts, { schema: 'café', engine: 'InnoDB', tables: 1 }, { schema: 'Ünïcode-DB', engine: 'InnoDB', tables: 1 }] }), verdict: 'passed', reason: /all 6 InnoDB tablespaces/ },
  // A user schema named Sys or MySQL is not the system one (the review's false pass): its tables are judged.
  { name: 'a MyISAM table in a user schema named like a system one', evidence: evidence(ON, ALL_ENCRYPTED, KEYS, withTables([table('notes', 'MyISAM', 'Fixed', '', true, 'Sys')])), verdict: 'failed', reason: /Sys\.notes \(MyISAM: never encrypted\)/ },
  { name: 'internal on-disk temporary tables not encrypted', evidence: evidence({ ...ON, encrypt_tmp_disk_tables: 'OFF' }, ALL_ENCRYPTED), verdict: 'failed', reason: /encrypt_tmp_disk_tables = 'OFF' \(configuration file\), not on/ },
  { name: 'binary log off: nothing to encrypt there', evidence: evidence({ ...ON, log_bin: 'OFF', encrypt_binlog: 'OFF' }, ALL_ENCRYPTED), verdict: 'passed', reason: /binary log off/ },
  { name: 'a tablespace not listed in the encryption table is unencrypted', evidence: evidence(ON, [...ALL_ENCRYPTED, space(7, 'app/orders', false)]), verdict: 'failed', reason: /1 of 5 tablespaces are not encrypted: app\/orders/ },
  { name: 'system tablespace missing from the list', evidence: evidence(ON, ALL_ENCRYPTED.filter((t) => t.space !== 0)), verdict: 'failed', reason: /system tablespace \(space 0\) is not listed/ },
  { name: 'system tablespace unencrypted', evidence: evidence(ON, [space(0, 'innodb_system', false), ...ALL_ENCRYPTED.slice(1)]), verdict: 'failed', reason: /innodb_system/ },
  { name: 'temporary tablespace, innodb_encrypt_temporary_tables off', evidence: evidence({ ...ON, innodb_encrypt_temporary_tables: 'OFF' }, ALL_ENCRYPTED), verdict: 'failed', reason: /innodb_temporary/ },
  // Said like every other setting that must be on (stock MariaDB read "innodb_encrypt_temporary_tables = 'OFF' (COMPILE-TIME);" bare).
  { name: 'innodb_encrypt_temporary_tables off is said to be not on', evidence: evidence({ ...ON, innodb_encrypt_temporary_tables: 'OFF' }, ALL_ENCRYPTED), verdict: 'failed', reason: /innodb_encrypt_temporary_tables = 'OFF'[^;]*, not on;/ },
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
