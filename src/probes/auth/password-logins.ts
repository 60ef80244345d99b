import { randomBytes } from 'node:crypto';
import { defineCheck, CannotObserve, NothingToJudge } from '../check.js';
import { controlById } from '../../controls/catalogue.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { accountPasswordFor, passwordFor } from '../../targets/secret-store.js';
import type { Target } from '../../targets/target.js';
import type { TargetContext } from '../target-context.js';
import { coverageOf, describePath, listSome, mapLoginPaths, type LoginPath } from './login-paths.js';
import { Limiter } from '../../util/limiter.js';
import { configuredSecurity } from '../plane/configured-security.js';
import { serverFacts } from '../plane/server-facts.js';
import { IDENTITY_ONLY, attemptLogin, describeLoginEnd, type LoginAttemptEvidence } from '../../sessions/login-attempt.js';


const describe = (login: LoginAttemptEvidence) => `${describeLoginEnd(login, { withMessage: false })} after ${login.elapsedMs} ms`;

interface WrongPasswordEvidence {
  /** The login account with a random wrong password. */
  login: LoginAttemptEvidence;
  /**
   * The same account with its declared right password, over the same transport; absent when no
   * password is declared. PostgreSQL (SCRAM) and MySQL answer a login as an account that does not
   * exist exactly as a wrong password, so the wrong password's refusal shows a password check only
   * when the right one gets further.
   */
  rightLogin?: LoginAttemptEvidence;
}

/**
 * auth.wrong-password-rejected: the login account with a random wrong password is refused as bad
 * credentials, while its declared right password is not (else the refusal may only show that the
 * account does not exist). Where the profile requires Entra-only authentication, the right
 * password's refusal is what auth.password-disabled judges, and this control has nothing to judge.
 */
/**
 * What else the server answers as a wrong password, by engine: a user meets these on servers set
 * up by others (Debian's PostgreSQL keeps an expired VALID UNTIL role; Debian's MariaDB an
 * anonymous ''@'localhost', which takes 'app'@'%''s logins from the server's own host).
 */
const WHY_THE_RIGHT_PASSWORD_FAILS: Record<Target['engine'], string> = {
  postgres: 'the account may not exist, its password may have expired (VALID UNTIL in the past), or the declared password is not its own',
  mysql: "the account may not exist or match this client's host (an anonymous account such as ''@'localhost' takes the name first), or the declared password is not its own",
};

export const wrongPasswordRejected = defineCheck<WrongPasswordEvidence>({
  id: 'auth.wrong-password-rejected',
  evidenceTitle: 'login with a wrong password, and with the declared right one',
  async read(context) {
    const { target } = context;
    if (!target.user) throw new CannotObserve('no login account is declared to try a wrong password with');
    const transport = await context.loginTransport();
    const login = await attemptLogin(target, { user: target.user, password: `wrong-${randomBytes(12).toString('base64url')}` }, transport, IDENTITY_ONLY);
    const rightLogin = await context.login(transport);
    if (rightLogin?.outcome === 'refused-by-authentication' && login.outcome === 'refused-by-authentication' && passwordsAreDisabledIn(target)) {
      throw new NothingToJudge(
        `the declared right password for "${target.user}" is refused too (${describe(rightLogin)}): the ${target.profile} profile demands Entra-only authentication, which auth.password-disabled judges (unless the account does not exist or the declared password is not its own); a wrong password's refusal shows no password check`,
        { login, rightLogin },
      );
    }
    return rightLogin ? { login, rightLogin } : { login };
  },
  judge({ login, rightLogin }, target) {
    if (login.outcome === 'accepted') return failed(`a wrong password for "${login.user}" was accepted`);
    if (login.outcome === 'refused-by-authentication') {
      const refusal = `a wrong password for "${login.user}" was refused: ${describe(login)}`;
      if (!rightLogin) return undecided(`${refusal}, but no password is declared for "${login.user}", so this refusal cannot be told from that of an account that does not exist (the server answers both alike)`);
      if (rightLogin.outcome === 'refused-by-authentication') {
        return undecided(`${refusal}, but the declared password for "${rightLogin.user}" was refused the same way (${describe(rightLogin)}): ${WHY_THE_RIGHT_PASSWORD_FAILS[target.engine]}, so no password check is shown; check the user name and the password's environment variable`);
      }
      if (rightLogin.outcome !== 'accepted' && rightLogin.outcome !== 'refused-by-policy') {
        return undecided(`${refusal}, but the login with the declared password for "${rightLogin.user}" ended ${describe(rightLogin)}, so there is no accepted password to compare the refusal with`);
      }
      return passed(`${refusal}; the declared password ${rightLogin.outcome === 'accepted' ? 'logged in' : `got past the password check (${describe(rightLogin)})`}`);
    }
    // A locked account is refused before (or whatever) its password is checked: the answer shows the lock, not the check.
    if (login.outcome === 'locked') return undecided(`"${login.user}" is locked, so the refusal of a wrong password shows the lock, not a password check: ${describe(login)}`);
    return undecided(`a wrong password for "${login.user}" was not refused as bad credentials: ${describe(login)}${login.message ? ` (${login.message})` : ''}`);
  },
});

/** Whether the target's profile requires every local password refused (auth.password-disabled). */
function passwordsAreDisabledIn(target: Target): boolean {
  return controlById('auth.password-disabled').requiredIn.includes(target.profile);
}

const CONCURRENT_LOGINS = 4;

/** A right-password login to another database a PostgreSQL role's login path is open to. */
type LoginElsewhere = LoginAttemptEvidence & { database: string };

interface PasswordDisabledEvidence {
  /** Each declared local account with its right password, to the target's database. */
  logins: LoginAttemptEvidence[];
  /**
   * PostgreSQL: the same accounts to every other database whose login path asked them for a
   * credential (or let them in), over the transport it asked on. pg_hba decides per database,
   * so one database's refusal says nothing of another's.
   */
  elsewhere?: LoginElsewhere[];
  /** PostgreSQL: why the other databases are not known (the matrix incomplete), or replication paths left untried. */
  elsewhereProblem?: string;
  /**
   * Azure's own switch for Entra-only authentication, read from the control plane when a login was
   * refused as bad credentials and the target declares its Azure resource: a wrong or outdated
   * declared password is refused in the very same words, so that refusal alone proves nothing.
   * `notInEffect` says why the switch's value is not what the server enforces now (a restart pending).
   */
  configured?: { entraOnly?: boolean; setting: string; plane: string; notInEffect?: string } | { problem: string };
}

/**
 * auth.password-disabled (strict): every declared local account with its right password is
 * refused: the login account, and the auditor and masked role when they are declared with a
 * password. One refused account says nothing of the others: a server that rejects only the
 * application account's password (one pg_hba line) still lets the rest in with theirs. On
 * PostgreSQL each account is also tried on every other database whose login path is open to it.
 */
export const passwordDisabled = defineCheck<PasswordDisabledEvidence>({
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
    const logins = [login, ...more];
    const evidence: PasswordDisabledEvidence = target.engine === 'postgres' ? { logins, ...(await loginsElsewhere(context, logins)) } : { logins };
    const all = [...evidence.logins, ...(evidence.elsewhere ?? [])];
    if (all.some((each) => each.outcome === 'refused-by-authentication') && !all.some((each) => each.outcome === 'accepted') && target.azure?.resourceId) {
      evidence.configured = await configuredEntraOnly(context);
    }
    return evidence;
  },
  judge({ logins, elsewhere = [], elsewhereProblem, configured }) {
    const names = (some: Array<{ user: string }>) => [...new Set(some.map((login) => `"${login.user}"`))].join(', ');
    const tried = `${logins.length} declared account${logins.length === 1 ? '' : 's'} tried${elsewhere.length > 0 ? `, and ${elsewhere.length} logins to other databases their login paths are open to` : ''}`;
    const accepted = [...logins, ...elsewhere].filter((login) => login.outcome === 'accepted');
    if (accepted.length > 0) {
      const several = new Set(accepted.map((login) => login.user)).size > 1;
      const where = accepted.map((login) => `"${login.user}"${'database' in login ? ` into ${login.database}` : ''} over ${login.transport}`).join(', ');
      return failed(`the local account${several ? 's' : ''} ${names(accepted)} logged in with ${several ? 'their passwords' : 'its password'} (${where}); Entra-only authentication refuses every local password (${tried})`);
    }
    const unanswered = [...logins, ...elsewhere].filter((login) => login.outcome !== 'refused-by-authentication' && login.outcome !== 'refused-by-policy');
    if (unanswered.length > 0) return undecided(`the password login as ${names(unanswered)} ended without an answer: ${unanswered.map((login) => `"${login.user}"${'database' in login ? ` into ${login.database}` : ''}: ${describe(login)}`).join('; ')}`);
    if (elsewhereProblem) return undecided(`every password login tried was refused (${tried}), but ${elsewhereProblem}`);
    const each = logins.map((login) => `"${login.user}": ${describe(login)}`).join('; ');
    const refusedAll = `${logins.length === 1 ? 'the one declared local account' : `all ${logins.length} declared local accounts`} (${names(logins)}) ${logins.length === 1 ? 'was' : 'were'} refused with the declared password: ${each}${elsewhere.length > 0 ? `; and in ${elsewhere.length} logins to the other databases their login paths are open to` : ''}`;
    // Refused by a rule (pg_hba, a host or transport rule) is refused before any password is
    // weighed. Refused as bad credentials is also how a wrong or outdated declared password is
    // answered: only the server's own configuration can tell the two apart.
    const asBadCredentials = [...logins, ...elsewhere].filter((login) => login.outcome === 'refused-by-authentication');
    if (asBadCredentials.length === 0) return passed(`${refusedAll}; each by a rule before any password was weighed`);
    const ambiguity = `${names(asBadCredentials)} ${asBadCredentials.length === 1 ? 'was' : 'were'} refused as bad credentials, the same answer a wrong or outdated declared password gets`;
    if (!configured) {
      return undecided(`${refusedAll}; but ${ambiguity}, so the refusal alone cannot show that password authentication is disabled: declare the target's azure.resourceId, so that Azure's own switch (authConfig.passwordAuth on PostgreSQL, aad_auth_only on MySQL) can corroborate it`);
    }
    if ('problem' in configured) return undecided(`${refusedAll}; but ${ambiguity}, and Azure's Entra-only switch could not be read to corroborate it: ${configured.problem}`);
    // A value waiting for a restart says what the server will enforce, not what it enforces now: either way it corroborates nothing.
    if (configured.notInEffect) return undecided(`${refusedAll}; but ${ambiguity}, and ${configured.plane} reports ${configured.setting} ${configured.notInEffect}, so it does not show what the server enforces now`);
    if (configured.entraOnly === true) return passed(`${refusedAll}; ${configured.plane} reports Entra-only authentication (${configured.setting}), which corroborates that these refusals are of password logins as such`);
    if (configured.entraOnly === false) return failed(`${configured.plane} reports password authentication allowed (${configured.setting}): the server is not Entra-only, though the declared passwords were refused (${ambiguity}; they may be outdated)`);
    return undecided(`${refusedAll}; but ${ambiguity}, and ${configured.plane} does not say whether authentication is Entra-only (${configured.setting})`);
  },
});

/**
 * PostgreSQL: each account that did not get in is tried with its right password on every other
 * database whose login path (from the shared login-path matrix) asked it for a credential or let
 * it in. Replication paths cannot be logged into this way: one open to an account leaves the
 * control undecided rather than passed.
 */
async function loginsElsewhere(context: TargetContext, logins: LoginAttemptEvidence[]): Promise<Pick<PasswordDisabledEvidence, 'elsewhere' | 'elsewhereProblem'>> {
  const { target } = context;
  const matrix = await mapLoginPaths(context);
  // Paths asked are tried even when the matrix is incomplete: a login that works fails the control whatever else is unknown.
  const coverage = coverageOf(matrix);
  const refusedUsers = new Set(logins.filter((login) => login.outcome !== 'accepted').map((login) => login.user));
  const triedAlready = (path: LoginPath) => path.kind === 'database' && path.database === target.database && path.transport === logins[0].transport;
  const open = matrix.paths.filter((path) => refusedUsers.has(path.role) && path.answer.kind === 'asked' && !triedAlready(path));
  const replication = open.filter((path) => path.kind !== 'database');
  const databases = open.filter((path) => path.kind === 'database' && path.database !== matrix.madeUp.database);
  // A few at a time, as the matrix itself asks: each is a backend on the server.
  const slots = new Limiter(CONCURRENT_LOGINS);
  const elsewhere = await Promise.all(
    databases.map((path) =>
      slots.run(async () => ({
        ...(await attemptLogin({ ...target, database: path.database }, { user: path.role, password: passwordOf(target, path.role)! }, path.transport)),
        database: path.database,
      })),
    ),
  );
  const problems = [
    ...(coverage.complete ? [] : [`the other databases' login paths are not all known: ${coverage.problem}`]),
    ...(replication.length > 0 ? [`${replication.length} replication login paths ask these accounts for a credential and cannot be tried with a password login here: ${listSome(replication.map(describePath))}`] : []),
  ];
  return { elsewhere, ...(problems.length > 0 ? { elsewhereProblem: problems.join('; ') } : {}) };
}

/** Azure's Entra-only switch as the control plane reports it; a plane that cannot be read is a problem, not a verdict. */
async function configuredEntraOnly(context: TargetContext): Promise<NonNullable<PasswordDisabledEvidence['configured']>> {
  try {
    const configured = await configuredSecurity(context);
    const authConfig = context.target.engine === 'postgres' ? (await serverFacts(context)).authConfig : undefined;
    const setting = context.target.engine === 'postgres'
      ? `authConfig passwordAuth ${authConfig?.passwordAuth ?? 'not reported'}, activeDirectoryAuth ${authConfig?.activeDirectoryAuth ?? 'not reported'}`
      : `aad_auth_only ${configured.parameters.aad_auth_only ?? 'not reported'}`;
    // PostgreSQL: this control is about local passwords, so passwordAuth alone decides.
    const passwordAuth = authConfig?.passwordAuth?.trim().toLowerCase();
    const entraOnly = context.target.engine === 'postgres' ? (passwordAuth === 'disabled' ? true : passwordAuth === 'enabled' ? false : undefined) : configured.entraOnly;
    const notInEffect = context.target.engine === 'mysql' ? configured.notInEffect.aad_auth_only : undefined;
    return { ...(entraOnly === undefined ? {} : { entraOnly }), setting, plane: configured.plane, ...(notInEffect ? { notInEffect } : {}) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The declared password of one of the target's accounts. */
function passwordOf(target: Target, user: string): string | undefined {
  return user === target.user ? passwordFor(target.name) : accountPasswordFor(target.name, user);
}
