import { failed, passed, undecided } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import { readCatalog } from '../catalog/catalog-session.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import type { Finding } from '../finding.js';
import { IDENTITY_ONLY, attemptLogin, describeLoginEnd } from '../login/login-attempt.js';
import type { LoginTransport } from '../sql/sql-session.js';
import { unknownUserName } from './postgres-auth-methods.js';

/**
 * auth.no-anonymous (MySQL): logins as the empty user name and as a name no account has, both
 * with an empty password, are refused (an anonymous account matches any user name), and the
 * catalog lists no anonymous account that could log in from elsewhere.
 */
export async function checkNoAnonymous(target: Target, transport: LoginTransport): Promise<Finding> {
  const logins = [];
  for (const user of ['', unknownUserName()]) logins.push(await attemptLogin(target, { user, password: '' }, transport, IDENTITY_ONLY));
  const catalog = await readCatalog(target, 'the accounts', readMysqlAccounts).then(
    ({ readAs, result }) => ({ readAs, anonymous: result.filter((account) => account.user === '' && !account.locked && !account.isRole).map(accountName) }),
    (error: Error) => ({ readAs: `not read (${error.message})`, anonymous: [] as string[] }),
  );
  const accepted = logins.filter((login) => login.outcome === 'accepted');
  const unclear = logins.filter((login) => !['refused-by-authentication', 'refused-by-policy', 'locked', 'accepted'].includes(login.outcome));
  const evidence = { transport, logins: logins.map((login) => ({ user: login.user || '(empty)', outcome: login.outcome, serverCode: login.serverCode })), catalog };
  const judgement = accepted.length > 0 || catalog.anonymous.length > 0
    ? failed(
        [
          accepted.length > 0 ? `a login without user name or password succeeded (as ${accepted.map((login) => login.user || 'the empty user').join(', ')})` : '',
          catalog.anonymous.length > 0 ? `anonymous accounts exist: ${catalog.anonymous.join(', ')}` : '',
        ].filter(Boolean).join('; '),
      )
    : unclear.length > 0
      ? undecided(`anonymous login attempts ended without a refusal: ${unclear.map((login) => describeLoginEnd(login, { withMessage: false })).join(', ')}`)
      : passed(`the empty user name and an unknown user name are refused (${logins.map((login) => login.serverCode).join(', ')}); ${catalog.readAs}`);
  return { evidence, judgement };
}
