import { randomBytes } from 'node:crypto';
import { defineCheck, CannotObserve } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { accountPasswordFor } from '../../targets/secret-store.js';
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

/**
 * auth.password-disabled (strict): every declared local account with its right password is
 * refused: the login account, and the auditor and masked role when they are declared with a
 * password. One refused account says nothing of the others: a server that rejects only the
 * application account's password (one pg_hba line) still lets the rest in with theirs.
 */
export const passwordDisabled = defineCheck({
  id: 'auth.password-disabled',
  evidenceTitle: 'logins with the right passwords',
  async read(context) {
    const { target } = context;
    const transport = await context.loginTransport();
    const login = await context.login(transport);
    if (!login) throw new CannotObserve('declare the login account and its password, so the harness can show that a password login is refused');
    const others = [...new Set([target.auditor, target.masking?.role])].filter((user): user is string => !!user && user !== target.user && accountPasswordFor(target.name, user) !== undefined);
    // Whether each gets in, not into which database: MySQL's 1044 (no rights on the application's) would hide a login that worked.
    const more = await Promise.all(others.map((user) => attemptLogin(target, { user, password: accountPasswordFor(target.name, user)! }, transport, IDENTITY_ONLY)));
    return { logins: [login, ...more] };
  },
  judge({ logins }) {
    const names = (some: LoginAttemptEvidence[]) => some.map((login) => `"${login.user}"`).join(', ');
    const accepted = logins.filter((login) => login.outcome === 'accepted');
    if (accepted.length > 0) {
      return failed(`the local account${accepted.length === 1 ? '' : 's'} ${names(accepted)} logged in with ${accepted.length === 1 ? 'its password' : 'their passwords'} over ${accepted[0].transport}; Entra-only authentication refuses every local password (${logins.length} declared account${logins.length === 1 ? '' : 's'} tried)`);
    }
    const unanswered = logins.filter((login) => login.outcome !== 'refused-by-authentication' && login.outcome !== 'refused-by-policy');
    if (unanswered.length > 0) return undecided(`the password login as ${names(unanswered)} ended without an answer: ${unanswered.map((login) => `"${login.user}": ${describe(login)}`).join('; ')}`);
    const each = logins.map((login) => `"${login.user}": ${describe(login)}`).join('; ');
    return passed(`${logins.length === 1 ? 'the one declared local account' : `all ${logins.length} declared local accounts`} (${names(logins)}) ${logins.length === 1 ? 'was' : 'were'} refused with the right password: ${each}`);
  },
});
