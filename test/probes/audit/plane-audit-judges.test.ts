import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeLogsExported } from '../../../src/probes/audit/logs-exported.js';

const setting = (name: string, destinations: string[], categories: string[], groups: string[] = []) => ({ name, destinations, enabledCategories: categories, enabledCategoryGroups: groups });
/** MySQL's switches as a compliant server reports them: both logs written. */
const WRITTEN = [{ parameter: 'audit_log_enabled', value: 'ON' }, { parameter: 'slow_query_log', value: 'ON' }];

test('audit.logs-exported judge: a setting with a destination and the engine\'s log category (or the audit/allLogs group) passes', () => {
  const table: Array<['postgres' | 'mysql', ReturnType<typeof setting>[], string]> = [
    ['postgres', [setting('s', ['Log Analytics workspace w'], ['PostgreSQLLogs'])], 'passed'],
    ['postgres', [setting('s', ['storage account a'], [], ['allLogs'])], 'passed'],
    ['postgres', [setting('s', ['event hub e'], [], ['audit'])], 'passed'],
    ['postgres', [setting('s', ['Log Analytics workspace w'], ['postgresqllogs'])], 'passed'],
    ['postgres', [setting('s', [], ['PostgreSQLLogs'])], 'failed'],
    ['postgres', [setting('s', ['Log Analytics workspace w'], ['PostgreSQLFlexQueryStoreRuntime'])], 'failed'],
    ['postgres', [], 'failed'],
    ['mysql', [setting('s', ['Log Analytics workspace w'], ['MySqlAuditLogs', 'MySqlSlowLogs'])], 'passed'],
    ['mysql', [setting('s', ['Log Analytics workspace w'], ['PostgreSQLLogs'])], 'failed'],
  ];
  for (const [engine, settings, verdict] of table) {
    const judgement = judgeLogsExported({ plane: 'Azure stand-in', server: 's', engine, settings, ...(engine === 'mysql' ? { logSwitches: WRITTEN } : {}) });
    assert.equal(judgement.verdict, verdict, `${engine} ${JSON.stringify(settings)}: ${judgement.reason}`);
  }
});

test('audit.logs-exported judge on MySQL: the audit and the slow log must each reach a destination; one of them, or one without a destination, fails', () => {
  const table: Array<[ReturnType<typeof setting>[], string, RegExp]> = [
    [[setting('s', ['Log Analytics workspace w'], ['MySqlAuditLogs', 'MySqlSlowLogs'])], 'passed', /MySqlAuditLogs exported by s .*MySqlSlowLogs exported by s/],
    [[setting('a', ['Log Analytics workspace w'], ['MySqlAuditLogs']), setting('b', ['storage account x'], ['MySqlSlowLogs'])], 'passed', /MySqlAuditLogs exported by a .*MySqlSlowLogs exported by b/],
    [[setting('s', ['Log Analytics workspace w'], [], ['allLogs'])], 'passed', /2 categories|MySqlSlowLogs exported by s/],
    // The audit trail is the point: the slow log alone is not it.
    [[setting('s', ['Log Analytics workspace w'], ['MySqlSlowLogs'])], 'failed', /MySqlAuditLogs \(or the audit\/allLogs group\) is exported to a destination by none of the 1 .*, though MySqlSlowLogs is/],
    [[setting('s', ['Log Analytics workspace w'], ['MySqlAuditLogs'])], 'failed', /MySqlSlowLogs \(or the allLogs group\) is exported/],
    [[setting('s', ['Log Analytics workspace w'], [], ['audit'])], 'failed', /MySqlSlowLogs \(or the allLogs group\)/],
    // Audit to nowhere in one setting, slow to a workspace in another: the audit log still goes nowhere.
    [[setting('a', [], ['MySqlAuditLogs']), setting('b', ['Log Analytics workspace w'], ['MySqlSlowLogs'])], 'failed', /MySqlAuditLogs .*a \(MySqlAuditLogs to no destination\)/],
    [[], 'failed', /has no diagnostic setting/],
  ];
  for (const [settings, verdict, reason] of table) {
    const judgement = judgeLogsExported({ plane: 'Azure stand-in', server: 's', engine: 'mysql', settings, logSwitches: WRITTEN });
    assert.equal(judgement.verdict, verdict, `${JSON.stringify(settings)}: ${judgement.reason}`);
    assert.match(judgement.reason, reason);
  }
});

test('audit.logs-exported judge on MySQL: an exported log must also be written (audit_log_enabled, slow_query_log ON and in force)', () => {
  const both = [setting('s', ['Log Analytics workspace w'], ['MySqlAuditLogs', 'MySqlSlowLogs'])];
  const switches = (audit: Record<string, string> | undefined, slow: Record<string, string> | undefined) => [
    ...(audit ? [{ parameter: 'audit_log_enabled', ...audit }] : []),
    ...(slow ? [{ parameter: 'slow_query_log', ...slow }] : []),
  ];
  const table: Array<[string, ReturnType<typeof setting>[], Parameters<typeof judgeLogsExported>[0]['logSwitches'], string, RegExp]> = [
    ['both ON', both, switches({ value: 'ON' }, { value: 'ON' }), 'passed', /MySqlSlowLogs exported by s .*; written \(audit_log_enabled ON, slow_query_log ON\)$/],
    ['MySQL\'s own spelling of on', both, switches({ value: 'on' }, { value: '1' }), 'passed', /written \(audit_log_enabled on, slow_query_log 1\)/],
    // Once false passes: the diagnostic setting exported logs the server never wrote.
    ['the audit log not written', both, switches({ value: 'OFF' }, { value: 'ON' }), 'failed', /^audit_log_enabled is OFF on s \(Azure stand-in\): MySqlAuditLogs is exported, but the server writes none/],
    ['the slow log not written', both, switches({ value: 'ON' }, { value: 'OFF' }), 'failed', /^slow_query_log is OFF on s .*MySqlSlowLogs is exported, but the server writes none/],
    ['neither exported nor written', [], switches({ value: 'OFF' }, { value: 'ON' }), 'failed', /has no diagnostic setting.*; and audit_log_enabled is OFF/],
    ['one OFF and one pending: the OFF fails', both, switches({ value: 'OFF' }, { value: 'ON', notInEffect: 'pending a restart (isConfigPendingRestart True)' }), 'failed', /audit_log_enabled is OFF/],
    // Set, but not in force until a restart: what the server does now is unknown.
    ['the audit log switched ON, pending a restart', both, switches({ value: 'ON', notInEffect: 'pending a restart (isConfigPendingRestart True)' }, { value: 'ON' }), 'undecided', /but audit_log_enabled ON is pending a restart \(isConfigPendingRestart True\), so whether s .* writes MySqlAuditLogs now cannot be told/],
    ['the slow log switched OFF, pending a restart', both, switches({ value: 'ON' }, { value: 'OFF', notInEffect: 'not what the server runs with (currentValue ON)' }), 'undecided', /slow_query_log OFF is not what the server runs with \(currentValue ON\)/],
    ['a switch not reported', both, switches({ value: 'ON' }, undefined), 'undecided', /reports no slow_query_log parameter, so whether it writes MySqlSlowLogs at all cannot be told/],
    ['a switch with a value that is no flag', both, switches({ value: 'ON' }, { value: 'FILE' }), 'undecided', /slow_query_log is "FILE" on s .*not a value this check reads as on or off/],
    ['the switches not read at all', both, undefined, 'undecided', /the server parameters that make s .* write these logs \(audit_log_enabled, slow_query_log\) were not read/],
  ];
  for (const [label, settings, logSwitches, verdict, reason] of table) {
    const judgement = judgeLogsExported({ plane: 'Azure stand-in', server: 's', engine: 'mysql', settings, ...(logSwitches ? { logSwitches } : {}) });
    assert.equal(judgement.verdict, verdict, `${label}: ${judgement.reason}`);
    assert.match(judgement.reason, reason, label);
  }
});

test('audit.logs-exported judge on PostgreSQL: its server log needs no switch, so none is asked for', () => {
  const judgement = judgeLogsExported({ plane: 'Azure stand-in', server: 's', engine: 'postgres', settings: [setting('s', ['Log Analytics workspace w'], ['PostgreSQLLogs'])] });
  assert.equal(judgement.verdict, 'passed', judgement.reason);
  assert.doesNotMatch(judgement.reason, /written/);
});
