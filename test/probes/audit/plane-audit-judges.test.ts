import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeLogsExported } from '../../../src/probes/audit/logs-exported.js';

const setting = (name: string, destinations: string[], categories: string[], groups: string[] = []) => ({ name, destinations, enabledCategories: categories, enabledCategoryGroups: groups });

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
    const judgement = judgeLogsExported({ plane: 'Azure stand-in', server: 's', engine, settings });
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
    const judgement = judgeLogsExported({ plane: 'Azure stand-in', server: 's', engine: 'mysql', settings });
    assert.equal(judgement.verdict, verdict, `${JSON.stringify(settings)}: ${judgement.reason}`);
    assert.match(judgement.reason, reason);
  }
});
