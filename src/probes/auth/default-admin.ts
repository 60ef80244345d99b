import { failed, passed, undecided } from '../../controls/judgement.js';
import type { Engine, Target } from '../../targets/target.js';
import type { Finding } from '../finding.js';
import { IDENTITY_ONLY, attemptLogin, type LoginAttemptEvidence } from '../login/login-attempt.js';
import type { LoginTransport } from '../sql/sql-session.js';

const ADMIN_NAMES: Record<Engine, string[]> = {
  postgres: ['postgres', 'admin', 'root', 'sa'],
  mysql: ['root', 'admin', 'sa', 'mysql'],
};
/**
 * After the name itself, the most common default of all. PostgreSQL cannot store an empty
 * password, and a passwordless (trust) login is auth.no-passwordless's finding.
 */
const COMMON_PASSWORDS: Record<Engine, string[]> = {
  postgres: ['password', 'admin', '123456', 'changeme'],
  mysql: ['', 'password', 'admin', '123456', 'changeme'],
};
const PARALLEL_ATTEMPTS = 4;

const NOT_IN = new Set(['refused-by-authentication', 'refused-by-policy', 'locked']);

/**
 * auth.no-default-admin (intrusive): well-known admin names with a short built-in list of common
 * passwords. Which password worked is never reported: it is a live credential. The guesses are
 * not registered for redaction, since words like "password" would vanish from every report; the
 * evidence simply never holds them.
 */
export async function checkNoDefaultAdmin(target: Target, transport: LoginTransport): Promise<Finding> {
  const guesses = ADMIN_NAMES[target.engine].flatMap((user) => [user, ...COMMON_PASSWORDS[target.engine]].map((password) => ({ user, password })));
  const results: LoginAttemptEvidence[] = [];
  for (let next = 0; next < guesses.length; next += PARALLEL_ATTEMPTS) {
    results.push(...(await Promise.all(guesses.slice(next, next + PARALLEL_ATTEMPTS).map((guess) => attemptLogin(target, guess, transport, IDENTITY_ONLY)))));
  }
  const byUser = Object.fromEntries(
    ADMIN_NAMES[target.engine].map((user) => [user, results.filter((login) => login.user === user).map((login) => `${login.outcome}${login.serverCode ? ` [${login.serverCode}]` : ''}`)]),
  );
  const admitted = [...new Set(results.filter((login) => login.outcome === 'accepted').map((login) => login.user))];
  const unclear = results.filter((login) => !NOT_IN.has(login.outcome) && login.outcome !== 'accepted');
  const evidence = { transport, attemptBudget: guesses.length, names: ADMIN_NAMES[target.engine], passwordsPerName: COMMON_PASSWORDS[target.engine].length + 1, outcomesByName: byUser };
  const judgement = admitted.length > 0
    ? failed(`well-known admin accounts log in with a common password: ${admitted.join(', ')} (the password is not shown)`)
    : unclear.length > 0
      ? undecided(`${unclear.length} of ${guesses.length} guesses ended without a refusal (${[...new Set(unclear.map((login) => login.outcome))].join(', ')})`)
      : passed(`none of ${guesses.length} guesses (${ADMIN_NAMES[target.engine].join(', ')} with common passwords) logged in`);
  return { evidence, judgement };
}
