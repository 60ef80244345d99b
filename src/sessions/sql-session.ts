import type { Target } from '../targets/target.js';
import { connect, isIP, type Socket } from 'node:net';
import { LOGIN_CIPHERS } from '../tls/client-offer.js';
import { authPluginsFor, type CleartextPolicy } from '../wire/mysql/auth-plugins.js';

export type LoginTransport = 'tls' | 'plaintext';

export interface Credentials {
  user: string;
  password: string;
}

export interface SessionOptions {
  /** MySQL: connect without choosing a database, as an auditor without rights on the application's. */
  withoutDatabase?: boolean;
  /**
   * Verify the server certificate (against this CA bundle, else Node's store) and the host name:
   * for logins that send a bearer credential, which whoever receives it can use. Without it the
   * certificate is not verified: the transport controls judge it, and an account check must not
   * go undecided because of a certificate defect.
   */
  verifiedTls?: { ca?: string };
  /** MySQL mysql_clear_password: see CleartextPolicy (default: the empty password only). */
  cleartext?: CleartextPolicy;
}

function tlsOptions(target: Target, transport: LoginTransport, options: SessionOptions) {
  if (transport !== 'tls') return undefined;
  if (!options.verifiedTls) return { rejectUnauthorized: false, ciphers: LOGIN_CIPHERS };
  // mysql2 checks the host name only when asked (ssl.verifyIdentity): rejectUnauthorized alone lets any
  // certificate from a trusted CA through, whatever host it names, and the token with it.
  return { ca: options.verifiedTls.ca, rejectUnauthorized: true, ciphers: LOGIN_CIPHERS, servername: isIP(target.host) ? undefined : target.host, ...(target.engine === 'mysql' ? { verifyIdentity: true } : {}) };
}

/**
 * A TCP socket to an address that Node's TLS checks the certificate against: with neither a
 * server name (none is sent for an address) nor a host in its options, which mysql2 gives it,
 * Node checks the certificate against the socket's dialled host name, which it records only for
 * names, and else against "localhost".
 */
function socketNamingAddress(target: Target): Socket {
  const socket = connect(target.port, target.host);
  // As mysql2 sets up its own socket: each packet sent at once.
  socket.setNoDelay(true);
  Object.assign(socket, { _host: target.host });
  return socket;
}

/** A logged-in connection through the engine's driver. */
export interface SqlSession {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
  /** MySQL: the authentication plugins the server switched this login to, in order. */
  readonly authPlugins: readonly string[];
}

/** Logs in as `credentials` over `transport`; see SessionOptions for certificate verification. */
export async function openSqlSession(
  target: Target,
  credentials: Credentials,
  transport: LoginTransport,
  signal: AbortSignal,
  options: SessionOptions = {},
): Promise<SqlSession> {
  return target.engine === 'postgres' ? openPostgres(target, credentials, transport, signal, options) : openMysql(target, credentials, transport, signal, options);
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

/**
 * The drivers load with the first session of their engine: each is a tenth of a second or more of
 * a short run's start, and a run over one engine never needs the other.
 */
async function openPostgres(target: Target, credentials: Credentials, transport: LoginTransport, signal: AbortSignal, options: SessionOptions): Promise<SqlSession> {
  const { default: pg } = await import('pg');
  // The first import can take a while: a deadline that passed meanwhile must not be followed by a login.
  signal.throwIfAborted();
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: credentials.user,
    password: credentials.password,
    database: target.database ?? 'postgres',
    // With ssl set, pg gives up when the server declines TLS; it never falls back to plaintext.
    ssl: tlsOptions(target, transport, options) ?? false,
    connectionTimeoutMillis: target.timeoutMs,
    query_timeout: target.timeoutMs,
  });
  client.on('error', () => undefined);
  // pg's end() sends its goodbye and waits for the server to close: a server that answered the
  // first bytes and then hangs never does, and the socket kept the whole run from exiting. A login
  // that failed or ran out of time needs no goodbye; a session's goodbye gets the timeout, no more.
  const drop = () => (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  const close = async () => {
    const goodbye = client.end().catch(() => undefined);
    const timer = new Promise((resolve) => setTimeout(resolve, target.timeoutMs).unref());
    await Promise.race([goodbye, timer]);
    drop();
  };
  let connected = false;
  signal.addEventListener('abort', () => (connected ? void close() : drop()));
  try {
    await client.connect();
    connected = true;
  } catch (error) {
    drop();
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
  const { default: mysql } = await import('mysql2');
  signal.throwIfAborted();
  // The core connection, not mysql2/promise's createConnection: that one hands over no connection
  // until the login ends, and a server that greets and then hangs (mysql2's connectTimeout stops at
  // the greeting) left a socket that kept the whole run from exiting. This one is destroyed when the
  // deadline passes or the login fails.
  const core = mysql.createConnection({
    host: target.host,
    port: target.port,
    user: credentials.user,
    password: credentials.password,
    database: options.withoutDatabase ? undefined : target.database,
    // With ssl set, mysql2 gives up when the server offers no TLS.
    ssl: tlsOptions(target, transport, options),
    connectTimeout: target.timeoutMs,
    authPlugins: authPluginsFor(credentials.password, authPlugins, options.cleartext),
    ...(options.verifiedTls && transport === 'tls' && isIP(target.host) ? { stream: () => socketNamingAddress(target) } : {}),
  });
  // mysql2's destroy() only half-closes (stream.end()); drop both the TCP socket and, once TLS has
  // started, the TLS socket over it.
  const streamOf = () => (core as unknown as { stream?: { destroy(): void } }).stream;
  const tcp = streamOf();
  const drop = () => {
    streamOf()?.destroy();
    tcp?.destroy();
  };
  signal.addEventListener('abort', drop);
  try {
    await new Promise<void>((resolve, reject) => {
      core.once('connect', () => resolve());
      core.once('error', reject);
      // Aborted before or while connecting: give up now, the listener above has dropped the socket.
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  } catch (error) {
    drop();
    throw error;
  }
  const connection = core.promise();
  return {
    query: async <Row>(sql: string, params?: unknown[]) => {
      const [rows] = await connection.query({ sql, values: params, timeout: target.timeoutMs });
      return rows as Row[];
    },
    close: async () => {
      connection.destroy();
      drop();
    },
    authPlugins,
  };
}
