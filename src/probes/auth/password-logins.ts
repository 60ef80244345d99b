import { randomBytes } from 'node:crypto';
import { failed, passed, undecided } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import type { Finding } from '../finding.js';
import { IDENTITY_ONLY, attemptLogin, describeLoginEnd, type LoginAttemptEvidence } from '../login/login-attempt.js';
import type { LoginTransport } from '../sql/sql-session.js';

const REFUSED = new Set(['refused-by-authentication', 'locked']);

const describe = (login: LoginAttemptEvidence) => `${describeLoginEnd(login, { withMessage: false })} after ${login.elapsedMs} ms`;

/** auth.wrong-password-rejected: the login account with a random wrong password is refused as bad credentials. */
export async function checkWrongPasswordRejected(target: Target, transport: LoginTransport): Promise<Finding> {
  if (!target.user) return { evidence: {}, judgement: undecided('no login account is declared to try a wrong password with') };
  const login = await attemptLogin(target, { user: target.user, password: `wrong-${randomBytes(12).toString('base64url')}` }, transport, IDENTITY_ONLY);
  const judgement = login.outcome === 'accepted'
    ? failed(`a wrong password for "${login.user}" was accepted`)
    : REFUSED.has(login.outcome)
      ? passed(`a wrong password for "${login.user}" was refused: ${describe(login)}`)
      : undecided(`a wrong password for "${login.user}" was not refused as bad credentials: ${describe(login)}${login.message ? ` (${login.message})` : ''}`);
  return { evidence: { login }, judgement };
}

/** auth.password-disabled (strict): the login account with its right password is refused. */
export function judgePasswordDisabled(login: LoginAttemptEvidence | undefined): Finding {
  if (!login) return { evidence: {}, judgement: undecided('declare the login account and its password, so the harness can show that a password login is refused') };
  const judgement = login.outcome === 'accepted'
    ? failed(`the local account "${login.user}" logged in with its password over ${login.transport}; Entra-only authentication refuses it`)
    : login.outcome === 'refused-by-authentication' || login.outcome === 'refused-by-policy'
      ? passed(`a password login as "${login.user}" with the right password was refused: ${describe(login)}`)
      : undecided(`the password login as "${login.user}" ended without an answer: ${describe(login)}`);
  return { evidence: { login }, judgement };
}
