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
    ['mysql', [setting('s', ['Log Analytics workspace w'], ['MySqlAuditLogs'])], 'passed'],
    ['mysql', [setting('s', ['Log Analytics workspace w'], ['MySqlSlowLogs'])], 'passed'],
    ['mysql', [setting('s', ['Log Analytics workspace w'], ['PostgreSQLLogs'])], 'failed'],
  ];
  for (const [engine, settings, verdict] of table) {
    const judgement = judgeLogsExported({ plane: 'Azure stand-in', server: 's', engine, settings });
    assert.equal(judgement.verdict, verdict, `${engine} ${JSON.stringify(settings)}: ${judgement.reason}`);
  }
});
