import { randomBytes } from 'node:crypto';
import { defineCheck, CannotObserve } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { IDENTITY_ONLY, attemptLogin, describeLoginEnd, type LoginAttemptEvidence } from '../../sessions/login-attempt.js';


const describe = (login: LoginAttemptEvidence) => `${describeLoginEnd(login, { withMessage: false })} after ${login.elapsedMs} ms`;

/** auth.wrong-password-rejected: the login account with a random wrong password is refused as bad credentials. */
export const wrongPasswordRejected = defineCheck({
  id: 'auth.wrong-password-rejected',
  evidenceTitle: 'login with a wrong password',
  async read(context) {
    const { target } = context;
    if (!target.user) throw new CannotObserve('no login account is declared to try a wrong password with');
    const login = await attemptLogin(target, { user: target.user, password: `wrong-${randomBytes(12).toString('base64url')}` }, await context.loginTransport(), IDENTITY_ONLY);
    return { login };
  },
  judge({ login }) {
    if (login.outcome === 'accepted') return failed(`a wrong password for "${login.user}" was accepted`);
    if (login.outcome === 'refused-by-authentication') return passed(`a wrong password for "${login.user}" was refused: ${describe(login)}`);
    // A locked account is refused before (or whatever) its password is checked: the answer shows the lock, not the check.
    if (login.outcome === 'locked') return undecided(`"${login.user}" is locked, so the refusal of a wrong password shows the lock, not a password check: ${describe(login)}`);
    return undecided(`a wrong password for "${login.user}" was not refused as bad credentials: ${describe(login)}${login.message ? ` (${login.message})` : ''}`);
  },
});

/** auth.password-disabled (strict): the login account with its right password is refused. */
export const passwordDisabled = defineCheck({
  id: 'auth.password-disabled',
  evidenceTitle: 'login with the right password',
  async read(context) {
    const login = await context.login(await context.loginTransport());
    if (!login) throw new CannotObserve('declare the login account and its password, so the harness can show that a password login is refused');
    return { login };
  },
  judge({ login }) {
    if (login.outcome === 'accepted') return failed(`the local account "${login.user}" logged in with its password over ${login.transport}; Entra-only authentication refuses it`);
    if (login.outcome === 'refused-by-authentication' || login.outcome === 'refused-by-policy') {
      return passed(`a password login as "${login.user}" with the right password was refused: ${describe(login)}`);
    }
    return undecided(`the password login as "${login.user}" ended without an answer: ${describe(login)}`);
  },
});
