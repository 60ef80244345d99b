import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeDefender } from '../../../src/probes/threat/defender-enabled.js';

test('threat.defender-enabled judge: the subscription plan at Standard or the server setting Enabled passes; both off fails; an unreadable half with the other off is undecided', () => {
  const table: Array<[{ tier?: string; unreadable?: string }, { state?: string; unreadable?: string }, string, RegExp]> = [
    [{ tier: 'Standard' }, { state: 'Disabled' }, 'passed', /plan is Standard/],
    [{ tier: 'Free' }, { state: 'Enabled' }, 'passed', /advanced threat protection is Enabled/],
    [{ tier: 'Free' }, { state: 'Disabled' }, 'failed', /is off/],
    [{ unreadable: '403' }, { state: 'Enabled' }, 'passed', /Enabled/],
    [{ unreadable: '403' }, { state: 'Disabled' }, 'undecided', /cannot be told/],
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
