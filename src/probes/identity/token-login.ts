import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { TLSSocket } from 'node:tls';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { authPluginsFor } from '../../wire/mysql/auth-plugins.js';
import type { Target } from '../../targets/target.js';
import { DeadlineExceeded, withDeadline } from '../../util/deadline.js';

export type TokenLoginOutcome =
  | 'accepted'
  /** The server judged the credential and said no. */
  | 'refused-by-authentication'
  /** Refused by a rule about who or how, before the token was judged. */
  | 'refused-by-policy'
  | 'timed-out'
  /** Our side stopped: no TLS, an untrusted certificate, a connection error. The token was not judged. */
  | 'not-attempted-or-error';

export interface TokenLoginEvidence {
  user: string;
  outcome: TokenLoginOutcome;
  /** SQLSTATE (PostgreSQL) or server error number (MySQL), as the server sent it. */
  serverCode?: string;
  message?: string;
  negotiatedTls?: string;
  /** Whom the server says the session belongs to, after an accepted login. */
  sessionUser?: string;
  elapsedMs: number;
}

/** PostgreSQL reports every failed non-password method (pam, ldap, radius, ...) as 28000 "<method> authentication failed". */
const POSTGRES_AUTHENTICATION_FAILED = /authentication failed/i;
const MYSQL_ACCESS_DENIED = '1045';

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
    const session = await withDeadline(target.timeoutMs, `token login as ${user}`, (signal) =>
      target.engine === 'postgres' ? postgresSession(target, user, token, ca, signal) : mysqlSession(target, user, token, ca, signal),
    );
    return { user, outcome: 'accepted', ...session, elapsedMs: elapsedMs() };
  } catch (error) {
    return { user, ...classify(target, error), elapsedMs: elapsedMs() };
  }
}

interface SessionFacts {
  negotiatedTls?: string;
  sessionUser?: string;
}

function tlsOptions(target: Target, ca: string | undefined) {
  return { ca, rejectUnauthorized: true, servername: isIP(target.host) ? undefined : target.host };
}

async function postgresSession(target: Target, user: string, token: string, ca: string | undefined, signal: AbortSignal): Promise<SessionFacts> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user,
    password: token,
    database: target.database ?? 'postgres',
    // With ssl set, pg gives up when the server declines TLS; it never falls back to plaintext.
    ssl: tlsOptions(target, ca),
    connectionTimeoutMillis: target.timeoutMs,
  });
  client.on('error', () => undefined);
  signal.addEventListener('abort', () => void client.end().catch(() => undefined));
  try {
    await client.connect();
    const result = await client.query<{ tls: string | null; session_user: string }>(
      'SELECT (SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls, session_user',
    );
    return { negotiatedTls: result.rows[0]?.tls ?? undefined, sessionUser: result.rows[0]?.session_user };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function mysqlSession(target: Target, user: string, token: string, ca: string | undefined, signal: AbortSignal): Promise<SessionFacts> {
  const connection = await mysql.createConnection({
    host: target.host,
    port: target.port,
    user,
    // With ssl set, mysql2 gives up when the server offers no TLS.
    ssl: tlsOptions(target, ca),
    connectTimeout: target.timeoutMs,
    authPlugins: {
      // A server that does not know the principal may still ask for ed25519; a signature made with the token does not reveal it.
      client_ed25519: authPluginsFor(token).client_ed25519,
      mysql_clear_password:
        ({ connection: raw }) =>
        () => {
          // mysql2 swaps its stream for a TLSSocket once TLS is up; the typings do not show the field.
          const stream = (raw as unknown as { stream?: unknown }).stream;
          if (!(stream instanceof TLSSocket) || !stream.encrypted) throw new Error('refusing to send a token over a connection without TLS');
          return Buffer.from(`${token}\0`);
        },
    },
  });
  signal.addEventListener('abort', () => connection.destroy());
  try {
    const [rows] = await connection.query(
      "SELECT CURRENT_USER() AS sessionUser, (SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_VERSION') AS tls",
    );
    const row = (rows as Array<{ sessionUser?: string; tls?: string }>)[0];
    return { negotiatedTls: row?.tls || undefined, sessionUser: row?.sessionUser };
  } finally {
    connection.destroy();
  }
}

function classify(target: Target, error: unknown): Pick<TokenLoginEvidence, 'outcome' | 'serverCode' | 'message'> {
  if (error instanceof DeadlineExceeded) return { outcome: 'timed-out', message: error.message };
  const failure = error as { code?: string | number; errno?: number; message?: string; sqlState?: string };
  const message = failure.message ?? String(error);
  if (target.engine === 'postgres') {
    const code = typeof failure.code === 'string' && /^[0-9A-Z]{5}$/.test(failure.code) ? failure.code : undefined;
    if (code === '28P01' || (code === '28000' && POSTGRES_AUTHENTICATION_FAILED.test(message))) return { outcome: 'refused-by-authentication', serverCode: code, message };
    if (code?.startsWith('28')) return { outcome: 'refused-by-policy', serverCode: code, message };
    return { outcome: 'not-attempted-or-error', serverCode: code ?? (failure.code !== undefined ? String(failure.code) : undefined), message };
  }
  const errno = failure.errno !== undefined ? String(failure.errno) : undefined;
  if (errno === MYSQL_ACCESS_DENIED) return { outcome: 'refused-by-authentication', serverCode: errno, message };
  if (errno && failure.sqlState?.startsWith('28')) return { outcome: 'refused-by-policy', serverCode: errno, message };
  return { outcome: 'not-attempted-or-error', serverCode: errno ?? (failure.code !== undefined ? String(failure.code) : undefined), message };
}
