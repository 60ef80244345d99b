import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordDisabled, wrongPasswordRejected } from '../../../src/probes/auth/password-logins.js';
import type { LoginAttemptEvidence, LoginOutcome } from '../../../src/sessions/login-attempt.js';
import { sampleTarget } from '../../support/sample-target.js';

const login = (outcome: LoginOutcome, serverCode?: string): LoginAttemptEvidence => ({ user: 'app', transport: 'tls', outcome, serverCode, elapsedMs: 12 });

const wrong: Array<[LoginOutcome, string | undefined, string, RegExp]> = [
  ['refused-by-authentication', '28P01', 'passed', /refused: refused-by-authentication \[28P01\]/],
  ['locked', '4150', 'undecided', /is locked, so the refusal of a wrong password shows the lock, not a password check/],
  ['accepted', undefined, 'failed', /was accepted/],
  ['refused-by-policy', '28000', 'undecided', /not refused as bad credentials/],
  ['timed-out', undefined, 'undecided', /timed-out/],
];
for (const [outcome, code, verdict, reason] of wrong) {
  test(`auth.wrong-password-rejected judge: a wrong password ${outcome} -> ${verdict}`, () => {
    const judgement = wrongPasswordRejected.judge({ login: login(outcome, code) }, sampleTarget());
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}

const right: Array<[LoginOutcome, string, RegExp]> = [
  ['accepted', 'failed', /logged in with its password/],
  ['refused-by-authentication', 'passed', /was refused/],
  ['refused-by-policy', 'passed', /was refused/],
  ['unreachable', 'undecided', /without an answer/],
];
for (const [outcome, verdict, reason] of right) {
  test(`auth.password-disabled judge: the right password ${outcome} -> ${verdict}`, () => {
    const judgement = passwordDisabled.judge({ login: login(outcome) }, sampleTarget({ profile: 'strict' }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
