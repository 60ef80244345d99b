import { failed, passed, undecided } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import { readCatalog } from '../catalog/catalog-session.js';
import { accountName, readMysqlAccounts, type MysqlAccount } from '../catalog/mysql-accounts.js';
import type { Finding } from '../finding.js';
import { IDENTITY_ONLY, attemptLogin, type LoginAttemptEvidence } from '../login/login-attempt.js';
import type { LoginTransport } from '../sql/sql-session.js';
import { askMethods } from './postgres-auth-methods.js';
import { workloadAccounts } from '../../targets/declared-accounts.js';

/** Startup messages cost the server a process each; past this many roles the evidence says so. */
const MAX_PROBED_ACCOUNTS = 200;

async function catalogOr<T>(read: () => Promise<T>): Promise<{ value?: T; problem?: string }> {
  try {
    return { value: await read() };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * auth.no-passwordless. PostgreSQL: every login role the catalog lists (or, without catalog
 * access, the declared accounts and "postgres") is asked to authenticate; an answer of "no
 * authentication needed" (trust) fails. No password is ever sent. MySQL: accounts the catalog
 * shows with an empty password fail, and each one the harness can reach is proven by an
 * empty-password login; the anonymous account is auth.no-anonymous's concern.
 */
export async function checkNoPasswordless(target: Target, transport: LoginTransport): Promise<Finding> {
  return target.engine === 'postgres' ? postgresPasswordless(target, transport) : mysqlPasswordless(target, transport);
}

async function postgresPasswordless(target: Target, transport: LoginTransport): Promise<Finding> {
  const catalog = await catalogOr(() =>
    readCatalog(target, 'the login roles', (session) => session.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname !~ '^pg_' ORDER BY rolname")),
  );
  const listed = catalog.value?.result.map((row) => row.rolname) ?? [];
  const candidates = [...new Set([...listed, ...workloadAccounts(target), 'postgres'])];
  const probed = candidates.slice(0, MAX_PROBED_ACCOUNTS);
  const answers = await askMethods(target, probed, transport);
  const trusted = answers.filter((answer) => answer.reply?.kind === 'authentication' && answer.reply.request.method === 'none').map((answer) => answer.user);
  const unanswered = answers.filter((answer) => answer.outcome === 'undecided');
  const evidence = {
    transport,
    catalog: catalog.value?.readAs ?? `not read (${catalog.problem}); probed the declared accounts and "postgres" only`,
    probed: probed.length,
    notProbed: candidates.length - probed.length,
    answers: answers.map((answer) => ({ user: answer.user, outcome: answer.outcome, reason: answer.reason })),
  };
  const judgement = trusted.length > 0
    ? failed(`these accounts log in without any password (trust): ${trusted.join(', ')}`)
    : unanswered.length > 0 || catalog.problem
      ? undecided(catalog.problem ? `the login roles could not be listed: ${catalog.problem}` : `no answer for ${unanswered.map((answer) => answer.user).join(', ')}`)
      : passed(`the server asks every one of ${probed.length} login roles for a password${candidates.length > probed.length ? ` (first ${probed.length} of ${candidates.length} probed)` : ''}`);
  return { evidence, judgement };
}

async function mysqlPasswordless(target: Target, transport: LoginTransport): Promise<Finding> {
  const catalog = await catalogOr(() => readCatalog(target, 'the accounts', readMysqlAccounts));
  const emptyPassword = (catalog.value?.result ?? []).filter((account: MysqlAccount) => account.passwordless && account.user !== '' && !account.locked && !account.isRole);
  const userNames = catalog.value ? emptyPassword.map((account) => account.user) : [...workloadAccounts(target), 'root'];
  const logins: LoginAttemptEvidence[] = [];
  for (const user of [...new Set(userNames)].slice(0, MAX_PROBED_ACCOUNTS)) logins.push(await attemptLogin(target, { user, password: '' }, transport, IDENTITY_ONLY));
  const acceptedUsers = logins.filter((login) => login.outcome === 'accepted').map((login) => login.user);
  const evidence = {
    transport,
    catalog: catalog.value?.readAs ?? `not read (${catalog.problem}); tried the declared accounts and "root" only`,
    accountsWithEmptyPassword: emptyPassword.map(accountName),
    emptyPasswordLogins: logins.map((login) => ({ user: login.user, outcome: login.outcome, serverCode: login.serverCode })),
  };
  const judgement = emptyPassword.length > 0 || acceptedUsers.length > 0
    ? failed(
        `accounts without a password: ${[...new Set([...emptyPassword.map(accountName), ...acceptedUsers])].join(', ')}` +
          (acceptedUsers.length > 0 ? `; an empty-password login succeeded as ${acceptedUsers.join(', ')}` : ''),
      )
    : catalog.problem
      ? undecided(`the accounts could not be listed: ${catalog.problem}`)
      : passed(`every account that checks a password has one (${catalog.value!.readAs})`);
  return { evidence, judgement };
}
