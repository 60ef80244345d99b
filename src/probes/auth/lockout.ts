import { randomBytes } from 'node:crypto';
import { failed, passed, undecided } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import type { Finding } from '../finding.js';
import { IDENTITY_ONLY, attemptLogin, describeLoginEnd, type LoginAttemptEvidence } from '../login/login-attempt.js';
import type { LoginTransport } from '../sql/sql-session.js';

/** Wrong passwords the probe may spend: enough to trip a policy of up to four, few enough to be harmless. */
export const LOCKOUT_ATTEMPT_BUDGET = 5;
/** A refusal this slow is a deliberate delay (PostgreSQL auth_delay), not network or hashing time. */
export const DELIBERATE_DELAY_MS = 250;

/**
 * auth.lockout (intrusive): up to LOCKOUT_ATTEMPT_BUDGET wrong passwords, one after another, for
 * the declared sacrificial account. Passes when the server starts answering "locked", or when
 * every refusal comes only after a deliberate delay.
 */
export async function checkLockout(target: Target, transport: LoginTransport): Promise<Finding> {
  const user = target.lockoutUser;
  if (!user) {
    return { evidence: {}, judgement: undecided('declare lockoutUser, a sacrificial account: the harness never spends wrong passwords on the application account') };
  }
  const attempts: LoginAttemptEvidence[] = [];
  for (let attempt = 0; attempt < LOCKOUT_ATTEMPT_BUDGET; attempt++) {
    const login = await attemptLogin(target, { user, password: `wrong-${randomBytes(12).toString('base64url')}` }, transport, IDENTITY_ONLY);
    attempts.push(login);
    if (login.outcome !== 'refused-by-authentication') break;
  }
  const evidence = {
    account: user,
    attemptBudget: LOCKOUT_ATTEMPT_BUDGET,
    attemptsMade: attempts.length,
    deliberateDelayFromMs: DELIBERATE_DELAY_MS,
    attempts: attempts.map((login) => ({ outcome: login.outcome, serverCode: login.serverCode, elapsedMs: login.elapsedMs })),
    note: 'a locked account may stay locked until an administrator unlocks it (MariaDB: FLUSH PRIVILEGES)',
  };
  const locked = attempts.findIndex((login) => login.outcome === 'locked');
  const last = attempts[attempts.length - 1];
  const refusals = attempts.filter((login) => login.outcome === 'refused-by-authentication');
  const judgement = locked >= 0
    ? passed(`"${user}" was locked after ${locked} wrong passwords (attempt ${locked + 1} answered ${attempts[locked].serverCode ?? 'locked'})`)
    : last.outcome === 'accepted'
      ? failed(`a wrong password for "${user}" was accepted`)
      : last.outcome !== 'refused-by-authentication'
        ? undecided(`attempt ${attempts.length} for "${user}" ended without an answer: ${describeLoginEnd(last, { withMessage: false })}`)
        : refusals.every((login) => login.elapsedMs >= DELIBERATE_DELAY_MS)
          ? passed(`every one of ${refusals.length} wrong passwords for "${user}" was answered only after a delay (at least ${Math.min(...refusals.map((login) => login.elapsedMs))} ms)`)
          : failed(`${refusals.length} wrong passwords in a row for "${user}" neither locked it nor slowed the answers (fastest ${Math.min(...refusals.map((login) => login.elapsedMs))} ms)`);
  return { evidence, judgement };
}
