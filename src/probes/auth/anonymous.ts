import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import { IDENTITY_ONLY, attemptLogin, describeLoginEnd, type LoginOutcome } from '../../sessions/login-attempt.js';
import { unknownUserName } from './postgres-auth-methods.js';

const NOT_IN = new Set<LoginOutcome>(['refused-by-authentication', 'refused-by-policy', 'locked']);
/** mysql2's code for a handshake packet it cannot read, as a stand-in dialog prompt is to it. */
const UNSPEAKABLE_HANDSHAKE = 'HANDSHAKE_UNKNOWN_ERROR';
/** Made-up user names asked at most, one after another. */
const UNKNOWN_NAMES_TRIED = 3;

/**
 * auth.no-anonymous (MySQL): logins as the empty user name and as a name no account has, both
 * with an empty password, are refused (an anonymous account matches any user name), and the
 * catalog lists no anonymous account that could log in from elsewhere.
 */
export const noAnonymous = defineCheck({
  id: 'auth.no-anonymous',
  evidenceTitle: 'anonymous logins',
  async read(context) {
    const transport = await context.loginTransport();
    const logins = [await attemptLogin(context.target, { user: '', password: '' }, transport, IDENTITY_ONLY)];
    // MariaDB answers a name no account has with a stand-in authentication method picked by the
    // name's hash among its plugins; PAM's dialog is one mysql2 cannot speak. An anonymous account
    // would match every name alike, so another made-up name is as good a question: up to three.
    const passedOver: string[] = [];
    for (let tries = 1; ; tries++) {
      const login = await attemptLogin(context.target, { user: unknownUserName(), password: '' }, transport, IDENTITY_ONLY);
      if (login.outcome === 'error' && login.serverCode === UNSPEAKABLE_HANDSHAKE && tries < UNKNOWN_NAMES_TRIED) {
        passedOver.push(`${login.user}: ${describeLoginEnd(login, { withMessage: false })}`);
        continue;
      }
      logins.push(login);
      break;
    }
    const catalog = await context.catalog.read('the accounts', readMysqlAccounts).then(
      ({ readAs, result }) => ({ readAs, anonymous: result.filter((account) => account.user === '' && !account.isRole && !account.locked).map(accountName) }),
      (error: Error) => ({ readAs: `not read (${error.message})`, anonymous: [] as string[], problem: error.message }),
    );
    return {
      transport,
      logins: logins.map((login) => ({ user: login.user || '(empty)', outcome: login.outcome, serverCode: login.serverCode })),
      ...(passedOver.length > 0 ? { unknownNamesPassedOver: passedOver } : {}),
      catalog,
    };
  },
  judge({ logins, catalog }) {
    const accepted = logins.filter((login) => login.outcome === 'accepted');
    const unclear = logins.filter((login) => login.outcome !== 'accepted' && !NOT_IN.has(login.outcome));
    if (accepted.length > 0 || catalog.anonymous.length > 0) {
      return failed(
        [
          accepted.length > 0 ? `a login without user name or password succeeded (as ${accepted.map((login) => (login.user === '(empty)' ? 'the empty user' : login.user)).join(', ')})` : '',
          catalog.anonymous.length > 0 ? `anonymous accounts exist: ${catalog.anonymous.join(', ')}` : '',
        ].filter(Boolean).join('; '),
      );
    }
    // ''@'localhost' refuses a client elsewhere as any other account would: only the catalog shows it.
    if ('problem' in catalog && catalog.problem) {
      return undecided(`the empty and an unknown user name are refused from here, but the accounts could not be listed, so an anonymous account for other hosts (such as ''@'localhost') is unknown: ${catalog.problem}`);
    }
    if (unclear.length > 0) return undecided(`anonymous login attempts ended without a refusal: ${unclear.map((login) => `${login.user}: ${describeLoginEnd(login, { withMessage: false })}`).join(', ')}`);
    return passed(`the empty user name and an unknown user name are refused (${logins.map((login) => login.serverCode).join(', ')}); ${catalog.readAs}`);
  },
});
