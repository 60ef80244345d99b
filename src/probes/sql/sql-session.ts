import pg from 'pg';
import mysql from 'mysql2/promise';
import type { Target } from '../../targets/target.js';
import { authPluginsFor } from '../../wire/mysql/auth-plugins.js';

export type LoginTransport = 'tls' | 'plaintext';

export interface Credentials {
  user: string;
  password: string;
}

export interface SessionOptions {
  /** MySQL: connect without choosing a database, as an auditor without rights on the application's. */
  withoutDatabase?: boolean;
}

/** A logged-in connection through the engine's driver. */
export interface SqlSession {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
  /** MySQL: the authentication plugins the server switched this login to, in order. */
  readonly authPlugins: readonly string[];
}

/**
 * Logs in as `credentials` over `transport`. The certificate is not verified here: the transport
 * controls judge it, and an account check must not go undecided because of a certificate defect.
 */
export async function openSqlSession(
  target: Target,
  credentials: Credentials,
  transport: LoginTransport,
  signal: AbortSignal,
  options: SessionOptions = {},
): Promise<SqlSession> {
  return target.engine === 'postgres' ? openPostgres(target, credentials, transport, signal) : openMysql(target, credentials, transport, signal, options);
}

/** Logs in, lets `work` use the session, and always logs out. */
export async function withSqlSession<T>(
  target: Target,
  credentials: Credentials,
  transport: LoginTransport,
  signal: AbortSignal,
  options: SessionOptions,
  work: (session: SqlSession) => Promise<T>,
): Promise<T> {
  const session = await openSqlSession(target, credentials, transport, signal, options);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

async function openPostgres(target: Target, credentials: Credentials, transport: LoginTransport, signal: AbortSignal): Promise<SqlSession> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: credentials.user,
    password: credentials.password,
    database: target.database ?? 'postgres',
    ssl: transport === 'tls' ? { rejectUnauthorized: false } : false,
    connectionTimeoutMillis: target.timeoutMs,
    query_timeout: target.timeoutMs,
  });
  client.on('error', () => undefined);
  const close = () => client.end().catch(() => undefined);
  signal.addEventListener('abort', () => void close());
  try {
    await client.connect();
  } catch (error) {
    await close();
    throw error;
  }
  // pg wants one query at a time per client; checks sharing a session take turns.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    query: <Row>(sql: string, params?: unknown[]) => {
      const turn = previous.then(() => client.query(sql, params));
      previous = turn.catch(() => undefined);
      return turn.then((result) => result.rows as Row[]);
    },
    close,
    authPlugins: [],
  };
}

async function openMysql(target: Target, credentials: Credentials, transport: LoginTransport, signal: AbortSignal, options: SessionOptions): Promise<SqlSession> {
  const authPlugins: string[] = [];
  const connection = await mysql.createConnection({
    host: target.host,
    port: target.port,
    user: credentials.user,
    password: credentials.password,
    database: options.withoutDatabase ? undefined : target.database,
    ssl: transport === 'tls' ? { rejectUnauthorized: false } : undefined,
    connectTimeout: target.timeoutMs,
    authPlugins: authPluginsFor(credentials.password, authPlugins),
  });
  signal.addEventListener('abort', () => connection.destroy());
  return {
    query: async <Row>(sql: string, params?: unknown[]) => {
      const [rows] = await connection.query({ sql, values: params, timeout: target.timeoutMs });
      return rows as Row[];
    },
    close: async () => connection.destroy(),
    authPlugins,
  };
}
