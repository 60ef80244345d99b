import { failed, passed, undecided } from '../../controls/judgement.js';
import type { Engine, Target } from '../../targets/target.js';
import type { Finding } from '../finding.js';
import { IDENTITY_ONLY, attemptLogin, describeLoginEnd, type LoginAttemptEvidence } from '../login/login-attempt.js';
import type { LoginTransport } from '../sql/sql-session.js';

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

const NOT_IN = new Set(['refused-by-authentication', 'refused-by-policy', 'locked']);
/** Once a name is in, or locked, more guesses prove nothing and cost the server failed logins. */
const SETTLED = new Set(['accepted', 'locked']);

/**
 * auth.no-default-admin (intrusive): well-known admin names with a short built-in list of common
 * passwords. Names are tried side by side, each name's passwords one after another, so a lockout
 * policy sees them in a fixed order. Which password worked is never reported: it is a live
 * credential. The guesses are not registered for redaction, since words like "password" would
 * vanish from every report; the evidence simply never holds them.
 */
export async function checkNoDefaultAdmin(target: Target, transport: LoginTransport): Promise<Finding> {
  const names = ADMIN_NAMES[target.engine];
  const budget = names.reduce((total, user) => total + passwordsToTry(target.engine, user).length, 0);
  const perName = await Promise.all(
    names.map(async (user) => {
      const attempts: LoginAttemptEvidence[] = [];
      for (const password of passwordsToTry(target.engine, user)) {
        const login = await attemptLogin(target, { user, password }, transport, IDENTITY_ONLY);
        attempts.push(login);
        if (SETTLED.has(login.outcome)) break;
      }
      return attempts;
    }),
  );
  const results = perName.flat();
  const byUser = Object.fromEntries(names.map((user, index) => [user, perName[index].map((login) => describeLoginEnd(login, { withMessage: false }))]));
  const admitted = [...new Set(results.filter((login) => login.outcome === 'accepted').map((login) => login.user))];
  const unclear = results.filter((login) => !NOT_IN.has(login.outcome) && login.outcome !== 'accepted');
  const evidence = { transport, attemptBudget: budget, attemptsMade: results.length, names, outcomesByName: byUser };
  const judgement = admitted.length > 0
    ? failed(`well-known admin accounts log in with a common password: ${admitted.join(', ')} (the password is not shown)`)
    : unclear.length > 0
      ? undecided(`${unclear.length} of ${results.length} guesses ended without a refusal (${[...new Set(unclear.map((login) => login.outcome))].join(', ')})`)
      : passed(`none of ${results.length} guesses (${names.join(', ')} with common passwords) logged in`);
  return { evidence, judgement };
}
