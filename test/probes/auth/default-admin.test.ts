import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noDefaultAdmin } from '../../../src/probes/auth/default-admin.js';
import type { LoginOutcome } from '../../../src/sessions/login-attempt.js';
import { sampleTarget } from '../../support/sample-target.js';

const evidence = (...outcomes: Array<[string, LoginOutcome]>) => ({
  transport: 'tls' as const,
  attemptBudget: 24,
  attemptsMade: outcomes.length,
  names: [...new Set(outcomes.map(([user]) => user))],
  guessesPerName: Object.fromEntries([...new Set(outcomes.map(([user]) => user))].map((user) => [user, 6])),
  outcomesByName: {} as Record<string, string[]>,
  outcomes: outcomes.map(([user, outcome]) => ({ user, outcome, serverCode: undefined as string | undefined })),
});
const R = 'refused-by-authentication' as const;
const rows: Array<[string, ReturnType<typeof evidence>, string, RegExp]> = [
  ['every guess refused', evidence(['root', R], ['root', R], ['admin', 'refused-by-policy'], ['sa', R]), 'passed', /none of 4 guesses \(root, admin, sa/],
  // A lock left by an earlier run (MariaDB keeps it until FLUSH PRIVILEGES) hides every password behind it.
  ['sa locked at the first guess', evidence(['root', R], ['sa', 'locked']), 'undecided', /sa locked at the first guess/],
  ['root opens with a common password', evidence(['root', R], ['root', 'accepted'], ['admin', R]), 'failed', /log in with a common password: root \(the password is not shown\)/],
  ['a guess timed out', evidence(['root', R], ['admin', 'timed-out']), 'undecided', /1 of 2 guesses ended without a refusal \(timed-out\)/],
  ['no guess made', evidence(), 'undecided', /no guess was made/],
  // MariaDB max_password_errors=3: the lock after three refusals says nothing about guesses 4 to 6.
  ['admin locked after 3 of 6 guesses', evidence(['root', R], ['admin', R], ['admin', R], ['admin', R], ['admin', 'locked']), 'undecided', /admin locked after 3 refused of 6 guesses/],
  ['the last guess answered "locked" (its password never checked)', evidence(['admin', R], ['admin', R], ['admin', R], ['admin', R], ['admin', R], ['admin', 'locked']), 'undecided', /admin locked after 5 refused of 6 guesses/],
  ['all six refused, then nothing more tried', evidence(['admin', R], ['admin', R], ['admin', R], ['admin', R], ['admin', R], ['admin', R]), 'passed', /none of 6 guesses/],
];

// Debian's mariadb-install-db leaves ''@'localhost': "admin" with no password gets in as it, though
// the server has no admin account. The reason must name the account the server matched, not claim
// an admin account with a common password.
const asMatched = (user: string, matchedAccount: string) => ({ user, outcome: 'accepted' as const, serverCode: undefined as string | undefined, matchedAccount });
const anonymousOnly = { ...evidence(['root', R]), names: ['root', 'admin', 'sa'], outcomes: [...evidence(['root', R]).outcomes, asMatched('admin', '@localhost'), asMatched('sa', '@localhost')] };
const realAndAnonymous = { ...evidence(), names: ['root', 'admin'], outcomes: [asMatched('root', 'root@localhost'), asMatched('admin', '@localhost')] };
rows.push(
  ['admin and sa let in as the anonymous account', anonymousOnly, 'failed', /^well-known admin names log in with a guessed password as the anonymous account ''@'localhost', which takes any user name \(no account of these names matched; see auth.no-anonymous\): admin, sa \(the password is not shown\)$/],
  ['root let in as itself, admin as the anonymous account', realAndAnonymous, 'failed', /^well-known admin accounts log in with a common password: root \(the password is not shown\); well-known admin names log in .* as the anonymous account ''@'localhost'.*: admin /],
);
for (const [name, observed, verdict, reason] of rows) {
  test(`auth.no-default-admin judge: ${name} -> ${verdict}`, () => {
    const judgement = noDefaultAdmin.judge(observed, sampleTarget({ engine: 'mysql' }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
