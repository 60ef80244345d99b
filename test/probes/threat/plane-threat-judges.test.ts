import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeDefender } from '../../../src/probes/threat/defender-enabled.js';

test('threat.defender-enabled judge: the server\'s own setting decides (Enabled passes, Disabled fails even under a Standard plan, unreadable or unknown is undecided); the plan is shown beside it', () => {
  const table: Array<[{ tier?: string; unreadable?: string }, { state?: string; unreadable?: string }, string, RegExp]> = [
    [{ tier: 'Standard' }, { state: 'Disabled' }, 'failed', /plan is Standard; the server's advanced threat protection is Disabled \(the plan and the server disagree/],
    [{ tier: 'Standard' }, { state: 'Enabled' }, 'passed', /plan is Standard; the server's advanced threat protection is Enabled/],
    [{ tier: 'Standard' }, { unreadable: 'the server has no advanced threat protection setting' }, 'undecided', /cannot be told without the server's own setting/],
    [{ tier: 'Standard' }, { state: 'NotApplied' }, 'undecided', /"NotApplied" .* does not know/],
    [{ tier: 'Free' }, { state: 'Enabled' }, 'passed', /advanced threat protection is Enabled/],
    [{ tier: 'Free' }, { state: 'Disabled' }, 'failed', /is off/],
    [{ unreadable: '403' }, { state: 'Enabled' }, 'passed', /Enabled/],
    [{ unreadable: '403' }, { state: 'Disabled' }, 'failed', /is off .*plan could not be read/],
    [{ tier: 'Free' }, { unreadable: '404' }, 'undecided', /cannot be told/],
  ];
  for (const [subscriptionPlan, serverSetting, verdict, reason] of table) {
    const judgement = judgeDefender({ plane: 'Azure stand-in', server: 's', subscriptionPlan, serverSetting, alerts: { items: [] } });
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  }
  const withAlert = judgeDefender({ plane: 'p', server: 's', subscriptionPlan: { tier: 'Standard' }, serverSetting: { state: 'Enabled' }, alerts: { items: [{ alertType: 'SQL.PostgreSQL_BruteForce', severity: 'High', status: 'Active' }] } });
  assert.match(withAlert.reason, /1 Defender alerts name the server \(SQL\.PostgreSQL_BruteForce High Active\)/);
});
