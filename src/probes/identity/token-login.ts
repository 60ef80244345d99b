import { readFile } from 'node:fs/promises';
import type { Target } from '../../targets/target.js';
import { withDeadline } from '../../util/deadline.js';
import { classifyLoginError, type LoginOutcome } from '../../sessions/login-attempt.js';
import { withSqlSession } from '../../sessions/sql-session.js';

export interface TokenLoginEvidence {
  user: string;
  outcome: LoginOutcome;
  /** SQLSTATE (PostgreSQL) or server error number (MySQL), as the server sent it. */
  serverCode?: string;
  message?: string;
  negotiatedTls?: string;
  /** Whom the server says the session belongs to, after an accepted login. */
  sessionUser?: string;
  elapsedMs: number;
}

const SESSION_QUERY = {
  postgres: 'SELECT (SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls, session_user AS "sessionUser"',
  mysql: "SELECT CURRENT_USER() AS sessionUser, (SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_VERSION') AS tls",
};

/**
 * One login with an access token as the password, over TLS with the server certificate verified
 * (a token is a bearer credential: whoever receives it can use it). PostgreSQL sends it only when
 * the server asks for a cleartext password; MySQL only through mysql_clear_password, and only on
 * a TLS connection, checked again at the moment of sending.
 */
export async function loginWithToken(target: Target, user: string, token: string): Promise<TokenLoginEvidence> {
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  try {
    const ca = target.caFile ? await readFile(target.caFile, 'utf8') : undefined;
    const options = { verifiedTls: { ca }, cleartext: 'over-tls' as const, withoutDatabase: true };
    const [row] = await withDeadline(target.timeoutMs, `token login as ${user}`, (signal) =>
      withSqlSession(target, { user, password: token }, 'tls', signal, options, (session) => session.query<{ tls?: string | null; sessionUser?: string }>(SESSION_QUERY[target.engine])),
    );
    return { user, outcome: 'accepted', negotiatedTls: row?.tls || undefined, sessionUser: row?.sessionUser, elapsedMs: elapsedMs() };
  } catch (error) {
    return { user, ...classifyLoginError(target, error), elapsedMs: elapsedMs() };
  }
}
