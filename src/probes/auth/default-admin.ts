import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import type { Engine } from '../../targets/target.js';
import { IDENTITY_ONLY, attemptLogin, describeLoginEnd, isAnonymousAccount, matchedAccountText, type LoginAttemptEvidence, type LoginOutcome } from '../../sessions/login-attempt.js';

const ADMIN_NAMES: Record<Engine, string[]> = {
  postgres: ['postgres', 'admin', 'root', 'sa'],
  mysql: ['root', 'admin', 'sa', 'mysql'],
};
/**
 * The most common defaults first: no password at all (MySQL; PostgreSQL cannot store an empty one,
 * and a trust login is auth.no-passwordless's finding), then the name itself.
 */
function passwordsToTry(engine: Engine, user: string): string[] {
  return [...(engine === 'mysql' ? [''] : []), user, 'password', 'admin', '123456', 'changeme'];
}

const NOT_IN = new Set<LoginOutcome>(['refused-by-authentication', 'refused-by-policy', 'locked']);
/** Once a name is in, or locked, more guesses prove nothing and cost the server failed logins. */
const SETTLED = new Set<LoginOutcome>(['accepted', 'locked']);

/**
 * Names the server answered "locked" for: the lock proves nothing about the passwords it kept from
 * being checked, whether our own guesses set it off part-way through the list or it was there at
 * the first guess (a lock left by an earlier run lasts until an administrator lifts it on MariaDB,
 * and runs out on MySQL, when the account logs in again as before).
 */
function lockedNames(names: readonly string[], guessesPerName: Record<string, number>, outcomes: ReadonlyArray<{ user: string; outcome: LoginOutcome }>): string[] {
  return names.flatMap((user) => {
    const attempts = outcomes.filter((login) => login.user === user);
    if (!attempts.some((login) => login.outcome === 'locked')) return [];
    const refused = attempts.filter((login) => login.outcome !== 'locked').length;
    // The attempt answered "locked" was not checked against its password either.
    return [refused === 0 ? `${user} locked at the first guess` : `${user} locked after ${refused} refused of ${guessesPerName[user]} guesses`];
  });
}

/**
 * auth.no-default-admin (intrusive): well-known admin names with a short built-in list of common
 * passwords. Names are tried side by side, each name's passwords one after another, so a lockout
 * policy sees them in a fixed order. Which password worked is never reported: it is a live
 * credential. The guesses are not registered for redaction, since words like "password" would
 * vanish from every report; the evidence simply never holds them.
 */
export const noDefaultAdmin = defineCheck({
  id: 'auth.no-default-admin',
  evidenceTitle: 'default admin guesses',
  async read(context, signal) {
    const { target } = context;
    const transport = await context.loginTransport();
    const names = ADMIN_NAMES[target.engine];
    const guessesPerName = Object.fromEntries(names.map((user) => [user, passwordsToTry(target.engine, user).length]));
    const budget = Object.values(guessesPerName).reduce((total, count) => total + count, 0);
    const perName = await Promise.all(
      names.map(async (user) => {
        const attempts: LoginAttemptEvidence[] = [];
        for (const password of passwordsToTry(target.engine, user)) {
          // Past the deadline the control is undecided already: no further guess is made.
          signal.throwIfAborted();
          const login = await attemptLogin(target, { user, password }, transport, IDENTITY_ONLY);
          attempts.push(login);
          if (SETTLED.has(login.outcome)) break;
        }
        return attempts;
      }),
    );
    // The account a login got in as: on MySQL an anonymous account takes any user name.
    const outcomes = perName.flat().map((login) => ({ user: login.user, outcome: login.outcome, serverCode: login.serverCode, ...(login.matchedAccount !== undefined ? { matchedAccount: login.matchedAccount } : {}) }));
    const outcomesByName = Object.fromEntries(names.map((user, index) => [user, perName[index].map((login) => describeLoginEnd(login, { withMessage: false }))]));
    return { transport, attemptBudget: budget, attemptsMade: outcomes.length, names, guessesPerName, outcomesByName, outcomes };
  },
  judge({ names, guessesPerName, outcomes }) {
    const accepted = outcomes.filter((login): login is typeof login & { matchedAccount?: string } => login.outcome === 'accepted');
    // A name let in as an anonymous account is no admin account with a guessable password: the
    // server has no such account, and took the name as any other (auth.no-anonymous's finding).
    // It is still a login under a well-known admin name, so it fails, and the reason says as what.
    const asAnonymous = accepted.filter((login) => isAnonymousAccount(login.matchedAccount));
    const admitted = [...new Set(accepted.filter((login) => !asAnonymous.includes(login)).map((login) => login.user))];
    const unclear = outcomes.filter((login) => !NOT_IN.has(login.outcome) && login.outcome !== 'accepted');
    if (accepted.length > 0) {
      const anonymousNames = [...new Set(asAnonymous.map((login) => login.user))].filter((user) => !admitted.includes(user));
      const anonymousAccounts = [...new Set(asAnonymous.map((login) => matchedAccountText(login.matchedAccount!)))];
      return failed(
        [
          admitted.length > 0 ? `well-known admin accounts log in with a common password: ${admitted.join(', ')} (the password is not shown)` : '',
          anonymousNames.length > 0
            ? `well-known admin names log in with a guessed password as the anonymous account ${anonymousAccounts.join(', ')}, which takes any user name (no account of ${anonymousNames.length > 1 ? 'these names' : 'that name'} matched; see auth.no-anonymous): ${anonymousNames.join(', ')} (the password is not shown)`
            : '',
        ].filter(Boolean).join('; '),
      );
    }
    if (outcomes.length === 0) return undecided('no guess was made');
    if (unclear.length > 0) return undecided(`${unclear.length} of ${outcomes.length} guesses ended without a refusal (${[...new Set(unclear.map((login) => login.outcome))].join(', ')})`);
    const locked = lockedNames(names, guessesPerName, outcomes);
    if (locked.length > 0) {
      return undecided(
        `locked by the server's lockout, so the remaining common passwords were never checked (a lock that lifts, or an attacker guessing them first, would not be stopped): ${locked.join('; ')}`,
      );
    }
    return passed(`none of ${outcomes.length} guesses (${names.join(', ')} with common passwords) logged in`);
  },
});
