import type { Target } from '../targets/target.js';
import { withSqlSession, type Credentials, type LoginTransport, type SessionOptions } from './sql-session.js';
import { withDeadline, DeadlineExceeded } from '../util/deadline.js';

export type { LoginTransport } from './sql-session.js';

export type LoginOutcome =
  | 'accepted'
  /** Refused by a rule about who or how (pg_hba, require_secure_transport, host not allowed). */
  | 'refused-by-policy'
  /** Refused as bad credentials; MariaDB also answers a plaintext login this way under require_secure_transport. */
  | 'refused-by-authentication'
  | 'locked'
  | 'timed-out'
  | 'unreachable'
  | 'error';

export interface LoginAttemptEvidence {
  user: string;
  transport: LoginTransport;
  outcome: LoginOutcome;
  /** SQLSTATE (PostgreSQL) or server error number (MySQL), as the server sent it. */
  serverCode?: string;
  message?: string;
  negotiatedTls?: string;
  serverVersion?: string;
  /** MySQL: authentication plugins the server switched the login to. */
  authPlugins?: string[];
  /**
   * MySQL: the account the server matched the login to (CURRENT_USER(), "user@host"), which need
   * not be the name asked for: an anonymous account (''@'localhost') takes any user name.
   */
  matchedAccount?: string;
  elapsedMs: number;
}

interface SessionFacts {
  negotiatedTls?: string;
  serverVersion?: string;
  authPlugins?: string[];
  matchedAccount?: string;
}

const POSTGRES_CODES: Record<string, LoginOutcome> = {
  '28000': 'refused-by-policy',
  '28P01': 'refused-by-authentication',
};

const MYSQL_CODES: Record<string, LoginOutcome> = {
  '1045': 'refused-by-authentication',
  // MariaDB's answer to a login without a password that the account does not accept.
  '1698': 'refused-by-authentication',
  '1129': 'refused-by-policy',
  '1130': 'refused-by-policy',
  '3159': 'refused-by-policy',
  '4036': 'refused-by-policy',
  '3118': 'locked',
  '4150': 'locked',
  '4151': 'locked',
  '3955': 'locked',
};

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * For probes that ask only whether an account gets in: a MySQL login then picks no database, since
 * a stranger who got in would otherwise look refused (1044, no rights on the application's).
 */
export const IDENTITY_ONLY: SessionOptions = { withoutDatabase: true };

/** One login with a driver, classified from the server's own error code. */
export async function attemptLogin(target: Target, credentials: Credentials, transport: LoginTransport, options: SessionOptions = {}): Promise<LoginAttemptEvidence> {
  const { user } = credentials;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const session = await withDeadline(target.timeoutMs, `login as ${user} over ${transport}`, (signal) => sessionFacts(target, credentials, transport, signal, options));
    return { user, transport, outcome: 'accepted', ...session, elapsedMs: elapsed() };
  } catch (error) {
    return { user, transport, ...classifyLoginError(target, error), elapsedMs: elapsed() };
  }
}

/** How evidence and reasons name the end of a login: "refused-by-authentication [1045] Access denied ...". */
export function describeLoginEnd(login: Pick<LoginAttemptEvidence, 'outcome' | 'serverCode' | 'message'>, { withMessage = true } = {}): string {
  return `${login.outcome}${login.serverCode ? ` [${login.serverCode}]` : ''}${withMessage && login.message ? ` ${login.message}` : ''}`;
}

/** PostgreSQL reports every failed non-password method (pam, ldap, radius, ...) as 28000 "<method> authentication failed". */
const POSTGRES_AUTHENTICATION_FAILED = /authentication failed/i;

/** How a driver's login error ends a login, from the server's own code; the one classification every probe uses. */
export function classifyLoginError(target: Target, error: unknown): Pick<LoginAttemptEvidence, 'outcome' | 'serverCode' | 'message'> {
  if (error instanceof DeadlineExceeded) return { outcome: 'timed-out', message: error.message };
  const failure = error as { code?: string | number; errno?: number; message?: string; sqlState?: string };
  const message = failure.message ?? String(error);
  if (typeof failure.code === 'string' && UNREACHABLE.has(failure.code)) return { outcome: 'unreachable', serverCode: failure.code, message };
  const serverCode = target.engine === 'mysql' && failure.errno ? String(failure.errno) : failure.code !== undefined ? String(failure.code) : undefined;
  if (target.engine === 'postgres' && serverCode === '28000' && POSTGRES_AUTHENTICATION_FAILED.test(message)) return { outcome: 'refused-by-authentication', serverCode, message };
  const table = target.engine === 'postgres' ? POSTGRES_CODES : MYSQL_CODES;
  const known = serverCode ? table[serverCode] : undefined;
  if (known) return { outcome: known, serverCode, message };
  // An invalid-authorization SQLSTATE the table does not list is still a rule that turned the login away.
  if (target.engine === 'mysql' && failure.errno && failure.sqlState?.startsWith('28')) return { outcome: 'refused-by-policy', serverCode, message };
  return { outcome: 'error', serverCode, message };
}

const FACTS_QUERY = {
  postgres: "SELECT (SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls, current_setting('server_version') AS server",
  mysql: "SELECT VERSION() AS server, (SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_VERSION') AS tls, CURRENT_USER() AS account",
};

/** MySQL: whether CURRENT_USER() ("user@host", split at the last "@") names an anonymous account, one with the empty user name. */
export function isAnonymousAccount(matchedAccount: string | undefined): boolean {
  return matchedAccount !== undefined && matchedAccount.lastIndexOf('@') === 0;
}

/** CURRENT_USER()'s "user@host" as MySQL writes an account: ''@'localhost'. */
export function matchedAccountText(matchedAccount: string): string {
  const at = matchedAccount.lastIndexOf('@');
  return `'${matchedAccount.slice(0, at)}'@'${matchedAccount.slice(at + 1)}'`;
}

function sessionFacts(target: Target, credentials: Credentials, transport: LoginTransport, signal: AbortSignal, options: SessionOptions): Promise<SessionFacts> {
  return withSqlSession(target, credentials, transport, signal, options, async (session) => {
    const [row] = await session.query<{ tls?: string | null; server?: string; account?: string | null }>(FACTS_QUERY[target.engine]);
    return {
      negotiatedTls: row?.tls || undefined,
      serverVersion: row?.server,
      authPlugins: session.authPlugins.length > 0 ? [...session.authPlugins] : undefined,
      ...(typeof row?.account === 'string' ? { matchedAccount: row.account } : {}),
    };
  });
}
