import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSetting, isOn, settingOf, settingSet, unreadableAmong } from '../../../src/probes/audit/server-settings.js';
import { settings } from './settings-fixtures.js';

test('settings: on/off compared case-insensitively; FORCE counts as on', () => {
  for (const value of ['on', 'ON', 'True', 'yes', '1', 'FORCE', ' on ']) assert.equal(isOn(value), true, value);
  for (const value of ['off', 'OFF', 'false', '0', '', 'none']) assert.equal(isOn(value), false, value);
});

test('settings: lists parsed as sets (blanks, quotes, case, empty items)', () => {
  assert.deepEqual([...settingSet(' "PGAudit", auth_delay ,, pg_stat_statements')], ['pgaudit', 'auth_delay', 'pg_stat_statements']);
  assert.equal(settingSet('').size, 0);
  assert.deepEqual([...settingSet('CONNECT,CONNECT,query_ddl')], ['connect', 'query_ddl']);
});

test('settings: absent is not off, unreadable is neither, and names match case-insensitively', () => {
  const evidence = settings({ log_connections: 'on', archive_library: null, log_line_prefix: new Error('[42501] denied') });
  assert.equal(describeSetting(settingOf(evidence, 'LOG_CONNECTIONS')), "log_connections = 'on' (configuration file)");
  assert.equal(describeSetting(settingOf(evidence, 'archive_library')), 'archive_library is absent on this server');
  assert.equal(describeSetting(settingOf(evidence, 'log_line_prefix')), 'log_line_prefix could not be read ([42501] denied)');
  assert.deepEqual(unreadableAmong(evidence, ['log_connections', 'archive_library', 'log_line_prefix', 'never_read']).map((s) => s.name), ['log_line_prefix', 'never_read']);
});
