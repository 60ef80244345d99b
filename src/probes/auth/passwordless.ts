import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import type { TargetContext } from '../target-context.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import { IDENTITY_ONLY, attemptLogin, isAnonymousAccount, matchedAccountText, type LoginAttemptEvidence, type LoginOutcome } from '../../sessions/login-attempt.js';
import type { LoginTransport } from '../../sessions/sql-session.js';
import { coverageOf, describePath, listSome, mapLoginPaths, matrixByAnswer, type LoginPathMatrix } from './login-paths.js';
import { workloadAccounts } from '../../targets/declared-accounts.js';

/** MySQL: empty-password logins to try at most, one per account the catalog shows without a password. */
const MAX_PROBED_ACCOUNTS = 200;

async function catalogOr<T>(read: () => Promise<T>): Promise<{ value?: T; problem?: string }> {
  try {
    return { value: await read() };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** What the server answered each account asked to log in without a password. */
export type PasswordlessEvidence =
  | ({ engine: 'postgres' } & LoginPathMatrix)
  | {
      engine: 'mysql';
      transport: LoginTransport;
      catalog: string;
      catalogProblem?: string;
      /** user@host of every account row the catalog listed: what "N accounts listed" counted. */
      accountsListed?: string[];
      accountsWithEmptyPassword: string[];
      /** Anonymous accounts (empty user name) without a password: auth.no-anonymous judges them; the reason names them. Absent in evidence from before. */
      anonymousWithEmptyPassword?: string[];
      /**
       * Accounts, 'user'@'host' (plugin), that may log in with a plugin this harness does not know and
       * an empty stored credential; an empty-password login was tried as each. Absent in evidence from before.
       */
      unknownPluginWithoutCredential?: string[];
      /** `matchedAccount`: the account the server let a login in as (CURRENT_USER()); absent in evidence from before. */
      emptyPasswordLogins: Array<{ user: string; outcome: LoginOutcome; serverCode?: string; matchedAccount?: string }>;
    };

/**
 * auth.no-passwordless. PostgreSQL: every login path (role x database x connection kind x
 * transport, see login-paths.ts) is asked to authenticate; an answer of "no authentication
 * needed" (trust) on any of them fails. No password is ever sent. MySQL: accounts the catalog
 * shows with an empty password fail, and each one the harness can reach is proven by an
 * empty-password login; the anonymous account is auth.no-anonymous's concern.
 */
export const noPasswordless = defineCheck<PasswordlessEvidence>({
  id: 'auth.no-passwordless',
  evidenceTitle: 'logins without a password',
  async read(context, signal) {
    if (context.target.engine === 'postgres') return { engine: 'postgres', ...(await mapLoginPaths(context)) };
    return readMysql(context, await context.loginTransport(), signal);
  },
  judge(evidence) {
    return evidence.engine === 'postgres' ? judgePostgres(evidence) : judgeMysql(evidence);
  },
  shown: (evidence) => (evidence.engine === 'postgres' ? matrixByAnswer(evidence) : evidence),
});

function judgePostgres(matrix: LoginPathMatrix) {
  const trusted = matrix.paths.filter((path) => path.answer.kind === 'asked' && path.answer.method === 'none');
  const ident = matrix.paths.filter((path) => path.answer.kind === 'asked' && path.answer.method === 'ident');
  const coverage = coverageOf(matrix);
  if (trusted.length > 0 || ident.length > 0) {
    return failed(
      [
        ...(trusted.length > 0 ? [`${trusted.length} login paths let a role in without any password (trust): ${listSome(trusted.map(describePath))}`] : []),
        ...(ident.length > 0 ? [`${ident.length} login paths take the user name from the client host's ident service instead of a password (ident): ${listSome(ident.map(describePath))}`] : []),
      ].join('; '),
    );
  }
  if (!coverage.complete) return undecided(coverage.problem!);
  if (matrix.paths.length === 0) return undecided('no login path was asked');
  return passed(`${coverage.summary}: none lets a role in without a password`);
}

async function readMysql(context: TargetContext, transport: LoginTransport, signal: AbortSignal): Promise<PasswordlessEvidence> {
  const { target } = context;
  const catalog = await catalogOr(() => context.catalog.read('the accounts', readMysqlAccounts));
  const usable = (catalog.value?.result ?? []).filter((account) => account.passwordless && !account.locked && !account.isRole);
  const emptyPassword = usable.filter((account) => account.user !== '');
  const anonymous = usable.filter((account) => account.user === '');
  const unknownPlugin = (catalog.value?.result ?? []).filter((account) => account.unknownPluginsWithoutCredential.length > 0 && !account.passwordless && !account.locked && !account.isRole);
  const userNames = catalog.value ? [...emptyPassword, ...unknownPlugin].map((account) => account.user) : [...workloadAccounts(target), 'root'];
  const logins: LoginAttemptEvidence[] = [];
  for (const user of [...new Set(userNames)].slice(0, MAX_PROBED_ACCOUNTS)) {
    signal.throwIfAborted();
    logins.push(await attemptLogin(target, { user, password: '' }, transport, IDENTITY_ONLY));
  }
  return {
    engine: 'mysql',
    transport,
    catalog: catalog.value ? `${catalog.value.readAs}; ${catalog.value.result.length} accounts listed` : `not read (${catalog.problem}); tried the declared accounts and "root" only`,
    catalogProblem: catalog.problem,
    ...(catalog.value ? { accountsListed: catalog.value.result.map(accountName) } : {}),
    accountsWithEmptyPassword: emptyPassword.map(accountName),
    anonymousWithEmptyPassword: anonymous.map(accountName),
    unknownPluginWithoutCredential: unknownPlugin.map((account) => `${accountName(account)} (${account.unknownPluginsWithoutCredential.join(' OR ')})`),
    emptyPasswordLogins: logins.map((login) => ({ user: login.user, outcome: login.outcome, serverCode: login.serverCode, ...(login.matchedAccount !== undefined ? { matchedAccount: login.matchedAccount } : {}) })),
  };
}

function judgeMysql(evidence: Extract<PasswordlessEvidence, { engine: 'mysql' }>) {
  const accepted = evidence.emptyPasswordLogins.filter((login) => login.outcome === 'accepted');
  // An anonymous account takes any user name: a name let in as one says nothing of that name's own
  // account (there may be none), only that the anonymous account has no password (auth.no-anonymous).
  const asAnonymous = accepted.filter((login) => isAnonymousAccount(login.matchedAccount));
  const acceptedUsers = accepted.filter((login) => !asAnonymous.includes(login)).map((login) => login.user);
  const anonymousNote = asAnonymous.length > 0
    ? `; an empty-password login as ${[...new Set(asAnonymous.map((login) => login.user))].join(', ')} got in only as the anonymous account ${[...new Set(asAnonymous.map((login) => matchedAccountText(login.matchedAccount!)))].join(', ')}, which takes any user name (auth.no-anonymous's finding)`
    : '';
  if (evidence.accountsWithEmptyPassword.length > 0 || acceptedUsers.length > 0) {
    // A user the catalog already names as 'user'@'host' is one account, not a second one by its bare name.
    const listedUsers = new Set(evidence.accountsWithEmptyPassword.map((account) => account.replace(/^'(.*)'@'[^']*'$/, '$1')));
    return failed(
      `accounts without a password: ${[...new Set([...evidence.accountsWithEmptyPassword, ...acceptedUsers.filter((user) => !listedUsers.has(user))])].join(', ')}` +
        (acceptedUsers.length > 0 ? `; an empty-password login succeeded as ${acceptedUsers.join(', ')}` : '') +
        anonymousNote,
    );
  }
  if (evidence.catalogProblem) return undecided(`the accounts could not be listed: ${evidence.catalogProblem}${anonymousNote}`);
  const unknownPlugin = evidence.unknownPluginWithoutCredential ?? [];
  if (unknownPlugin.length > 0) {
    return undecided(
      `accounts that log in with a plugin this harness does not know, with an empty stored credential: ${unknownPlugin.join(', ')}; none of the empty-password logins tried was let in, but whether the plugin asks for a password at all is not known${anonymousNote}`,
    );
  }
  // The account that read the catalog is itself an account: an empty list is a view cut down to nothing, not a server without accounts.
  if (evidence.accountsListed?.length === 0) return undecided(`the catalog listed no account (${evidence.catalog}); the reading account may lack SELECT on mysql.global_priv / mysql.user`);
  const anonymous = evidence.anonymousWithEmptyPassword ?? [];
  // Anonymous accounts are auth.no-anonymous's finding; a pass must not claim they have a password.
  if (anonymous.length > 0) {
    return passed(
      `every account with a user name that checks a password has one (${evidence.catalog}); the anonymous accounts without a password, ${anonymous.join(', ')}, are left to auth.no-anonymous`,
    );
  }
  return passed(`every account that checks a password has one (${evidence.catalog})`);
}
