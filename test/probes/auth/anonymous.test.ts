import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noAnonymous } from '../../../src/probes/auth/anonymous.js';
import type { LoginOutcome } from '../../../src/sessions/login-attempt.js';
import { sampleTarget } from '../../support/sample-target.js';

const evidence = (empty: LoginOutcome, stranger: LoginOutcome, anonymous: string[] = []) => ({
  transport: 'tls' as const,
  logins: [
    { user: '(empty)', outcome: empty, serverCode: empty === 'accepted' ? undefined : '1045' },
    { user: 'dbcomply_nobody_1a2b', outcome: stranger, serverCode: stranger === 'accepted' ? undefined : '1045' },
  ],
  catalog: { readAs: 'read as the declared auditor "auditor"', anonymous },
});

const catalogUnread = () => ({
  ...evidence('refused-by-authentication', 'refused-by-authentication'),
  catalog: { readAs: 'not read (SELECT command denied)', anonymous: [], problem: 'SELECT command denied' },
});

const rows: Array<[string, ReturnType<typeof evidence> | ReturnType<typeof catalogUnread>, string, RegExp]> = [
  ['both refused, no anonymous account', evidence('refused-by-authentication', 'refused-by-authentication'), 'passed', /are refused \(1045, 1045\)/],
  ['the empty user gets in', evidence('accepted', 'refused-by-authentication'), 'failed', /succeeded \(as the empty user\)/],
  ['a stranger gets in', evidence('refused-by-authentication', 'accepted'), 'failed', /as dbcomply_nobody_1a2b/],
  ['an anonymous account exists at another host', evidence('refused-by-authentication', 'refused-by-authentication', ["''@'10.%'"]), 'failed', /anonymous accounts exist: ''@'10\.%'/],
  ['both refused, but the catalog could not be read', catalogUnread(), 'undecided', /accounts could not be listed, so an anonymous account for other hosts \(such as ''@'localhost'\) is unknown: SELECT command denied/],
  ['a login that timed out', evidence('timed-out', 'refused-by-authentication'), 'undecided', /ended without a refusal: \(empty\): timed-out/],
];
for (const [name, observed, verdict, reason] of rows) {
  test(`auth.no-anonymous judge: ${name} -> ${verdict}`, () => {
    const judgement = noAnonymous.judge(observed, sampleTarget({ engine: 'mysql' }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
