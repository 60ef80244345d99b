import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordDisabled, wrongPasswordRejected } from '../../../src/probes/auth/password-logins.js';
import type { LoginAttemptEvidence, LoginOutcome } from '../../../src/sessions/login-attempt.js';
import { sampleTarget } from '../../support/sample-target.js';

const login = (outcome: LoginOutcome, serverCode?: string): LoginAttemptEvidence => ({ user: 'app', transport: 'tls', outcome, serverCode, elapsedMs: 12 });

const wrong: Array<[LoginOutcome, string | undefined, string, RegExp]> = [
  ['refused-by-authentication', '28P01', 'passed', /refused: refused-by-authentication \[28P01\].*; the declared password logged in/],
  ['locked', '4150', 'undecided', /is locked, so the refusal of a wrong password shows the lock, not a password check/],
  ['accepted', undefined, 'failed', /was accepted/],
  ['refused-by-policy', '28000', 'undecided', /not refused as bad credentials/],
  ['timed-out', undefined, 'undecided', /timed-out/],
];
for (const [outcome, code, verdict, reason] of wrong) {
  test(`auth.wrong-password-rejected judge: a wrong password ${outcome}, the right one accepted -> ${verdict}`, () => {
    const judgement = wrongPasswordRejected.judge({ login: login(outcome, code), rightLogin: login('accepted') }, sampleTarget());
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}

// The server answers an account that does not exist as it answers a wrong password: the refusal alone shows no password check.
const right: Array<[string, LoginAttemptEvidence | undefined, string, RegExp]> = [
  ['no password declared', undefined, 'undecided', /no password is declared for "app", so this refusal cannot be told from that of an account that does not exist/],
  ['the right password refused alike', login('refused-by-authentication', '28P01'), 'undecided', /the declared password for "app" was refused the same way \(refused-by-authentication \[28P01\]/],
  ['the right password gets past the check but not into the database', login('refused-by-policy', '1044'), 'passed', /the declared password got past the password check \(refused-by-policy \[1044\]/],
  ['the right password times out', login('timed-out'), 'undecided', /ended timed-out after 12 ms, so there is no accepted password to compare/],
];
for (const [situation, rightLogin, verdict, reason] of right) {
  test(`auth.wrong-password-rejected judge: a wrong password refused, ${situation} -> ${verdict}`, () => {
    const judgement = wrongPasswordRejected.judge({ login: login('refused-by-authentication', '28P01'), ...(rightLogin ? { rightLogin } : {}) }, sampleTarget());
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}

const as = (user: string, outcome: LoginOutcome): LoginAttemptEvidence => ({ ...login(outcome), user });
const rightPasswords: Array<[string, LoginAttemptEvidence[], string, RegExp]> = [
  ['the login account gets in', [as('app', 'accepted')], 'failed', /"app" logged in with its password \("app" over tls\).*1 declared account tried/],
  // Once a false pass: a wrong or outdated declared password is refused in the very same words.
  ['the one account is refused as bad credentials, nothing corroborates', [as('app', 'refused-by-authentication')], 'undecided', /"app" was refused as bad credentials, the same answer a wrong or outdated declared password gets.*declare the target's azure\.resourceId/],
  ['the one account is refused by policy', [as('app', 'refused-by-policy')], 'passed', /was refused with the declared password.*each by a rule before any password was weighed/],
  ['the login account gets no answer', [as('app', 'unreachable')], 'undecided', /"app" ended without an answer/],
  // Once a false pass: only the login account was asked, and pg_hba refused only it.
  ['the login account is refused, the auditor gets in', [as('app', 'refused-by-policy'), as('auditor', 'accepted'), as('analyst', 'refused-by-policy')], 'failed', /"auditor" logged in with its password.*3 declared accounts tried/],
  ['two get in', [as('app', 'accepted'), as('auditor', 'accepted')], 'failed', /accounts "app", "auditor" logged in with their passwords/],
  ['every account is refused, one as bad credentials', [as('app', 'refused-by-policy'), as('auditor', 'refused-by-authentication')], 'undecided', /all 2 declared local accounts \("app", "auditor"\) were refused.*"auditor" was refused as bad credentials/],
  ['every account is refused by a rule', [as('app', 'refused-by-policy'), as('auditor', 'refused-by-policy')], 'passed', /all 2 declared local accounts \("app", "auditor"\) were refused/],
  ['one is refused, one times out', [as('app', 'refused-by-policy'), as('auditor', 'timed-out')], 'undecided', /"auditor" ended without an answer/],
];
for (const [situation, logins, verdict, reason] of rightPasswords) {
  test(`auth.password-disabled judge: ${situation} -> ${verdict}`, () => {
    const judgement = passwordDisabled.judge({ logins }, sampleTarget({ profile: 'strict' }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}

const into = (user: string, database: string, outcome: LoginOutcome) => ({ ...as(user, outcome), database });
test('auth.password-disabled judge (PostgreSQL): refused in its own database, let in elsewhere -> failed, naming where', () => {
  const judgement = passwordDisabled.judge(
    { logins: [as('app', 'refused-by-policy'), as('auditor', 'refused-by-policy')], elsewhere: [into('auditor', 'postgres', 'accepted'), into('app', 'postgres', 'refused-by-policy')] },
    sampleTarget({ profile: 'strict' }),
  );
  assert.equal(judgement.verdict, 'failed');
  assert.match(judgement.reason, /"auditor" into postgres over tls/);
  assert.match(judgement.reason, /2 declared accounts tried, and 2 logins to other databases/);
});

test('auth.password-disabled judge (PostgreSQL): every login refused, but the other databases unknown -> undecided', () => {
  const judgement = passwordDisabled.judge({ logins: [as('app', 'refused-by-policy')], elsewhere: [], elsewhereProblem: 'the login roles and databases could not be listed: x' }, sampleTarget({ profile: 'strict' }));
  assert.equal(judgement.verdict, 'undecided');
  assert.match(judgement.reason, /every password login tried was refused .* but the login roles and databases could not be listed/);
});

test('auth.password-disabled judge (PostgreSQL): refused in every database its paths are open to, Azure says passwords are off -> passed, with the count', () => {
  const judgement = passwordDisabled.judge(
    {
      logins: [as('app', 'refused-by-authentication')],
      elsewhere: [into('app', 'postgres', 'refused-by-authentication'), into('app', 'sales', 'refused-by-policy')],
      configured: { entraOnly: true, setting: 'authConfig passwordAuth Disabled, activeDirectoryAuth Enabled', plane: 'Azure' },
    },
    sampleTarget({ profile: 'strict' }),
  );
  assert.equal(judgement.verdict, 'passed');
  assert.match(judgement.reason, /and in 2 logins to the other databases.*Azure reports Entra-only authentication \(authConfig passwordAuth Disabled/);
});

const refusedAsBadCredentials = [as('app', 'refused-by-authentication')];
const corroborations: Array<[string, NonNullable<Parameters<typeof passwordDisabled.judge>[0]['configured']>, string, RegExp]> = [
  ['Azure reports passwords allowed', { entraOnly: false, setting: 'aad_auth_only OFF', plane: 'Azure' }, 'failed', /Azure reports password authentication allowed \(aad_auth_only OFF\): the server is not Entra-only.*may be outdated/],
  ['Azure does not say', { setting: 'aad_auth_only not reported', plane: 'Azure' }, 'undecided', /Azure does not say whether authentication is Entra-only \(aad_auth_only not reported\)/],
  ['the plane cannot be read', { problem: 'HTTP 403 AuthorizationFailed' }, 'undecided', /could not be read to corroborate it: HTTP 403/],
  // Once a false pass: a switch set ON but waiting for a restart says what the server will do, not what it does.
  ['Azure reports Entra-only, pending a restart', { entraOnly: true, setting: 'aad_auth_only ON', plane: 'Azure', notInEffect: 'pending a restart (isConfigPendingRestart True)' }, 'undecided', /Azure reports aad_auth_only ON pending a restart \(isConfigPendingRestart True\), so it does not show what the server enforces now/],
  ['Azure reports passwords allowed, pending a restart', { entraOnly: false, setting: 'aad_auth_only OFF', plane: 'Azure', notInEffect: 'not what the server runs with (currentValue ON)' }, 'undecided', /aad_auth_only OFF not what the server runs with \(currentValue ON\)/],
  ['Azure reports Entra-only, in force', { entraOnly: true, setting: 'aad_auth_only ON', plane: 'Azure' }, 'passed', /Azure reports Entra-only authentication \(aad_auth_only ON\), which corroborates/],
];
for (const [situation, configured, verdict, reason] of corroborations) {
  test(`auth.password-disabled judge: refused as bad credentials, ${situation} -> ${verdict}`, () => {
    const judgement = passwordDisabled.judge({ logins: refusedAsBadCredentials, configured }, sampleTarget({ profile: 'strict' }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}

test('auth.password-disabled judge: a login that got in fails, whatever Azure says', () => {
  const judgement = passwordDisabled.judge({ logins: [as('app', 'accepted')], configured: { entraOnly: true, setting: 'aad_auth_only ON', plane: 'Azure' } }, sampleTarget({ profile: 'strict' }));
  assert.equal(judgement.verdict, 'failed');
});

// Servers set up by others refuse a right password for reasons the lab never shows: an expired
// VALID UNTIL (PostgreSQL), an anonymous ''@'localhost' that takes the name first (MariaDB).
for (const [engine, hint] of [
  ['postgres', /refused the same way \(refused-by-authentication \[28P01\] after \d+ ms\): the account may not exist, its password may have expired \(VALID UNTIL in the past\), or the declared password is not its own, so no password check is shown/],
  ['mysql', /refused the same way \(refused-by-authentication \[1045\] after \d+ ms\): the account may not exist or match this client's host \(an anonymous account such as ''@'localhost' takes the name first\), or the declared password is not its own, so no password check is shown/],
] as const) {
  test(`auth.wrong-password-rejected judge: ${engine}, the right password refused alike -> undecided, naming what else refuses it`, () => {
    const code = engine === 'postgres' ? '28P01' : '1045';
    const judgement = wrongPasswordRejected.judge({ login: login('refused-by-authentication', code), rightLogin: login('refused-by-authentication', code) }, sampleTarget({ engine }));
    assert.equal(judgement.verdict, 'undecided');
    assert.match(judgement.reason, hint);
  });
}

