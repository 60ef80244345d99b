import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import { isIP } from 'node:net';
import type { Endpoint } from '../targets/target.js';
import { dialPreTls } from '../wire/dial.js';
import { PreTlsError } from '../wire/pre-tls.js';
import { LOGIN_CIPHERS } from '../tls/client-offer.js';
import { buildStartupMessage, parseFirstReply, TERMINATE, type FirstReply } from '../wire/postgres/startup.js';

/** A replication connection: physical ('true', matched by pg_hba's "replication" keyword) or logical ('database'). */
export type ReplicationMode = 'true' | 'database';

export interface StartupEvidence {
  user: string;
  database: string;
  transport: 'tls' | 'plaintext';
  replication?: ReplicationMode;
  /** 'asked' = the server went on to authentication; 'refused' = it answered with an error first. */
  outcome: 'asked-to-authenticate' | 'refused' | 'undecided';
  reply?: FirstReply;
  reason: string;
  elapsedMs: number;
}

/**
 * Sends a StartupMessage and reads only the server's first answer, without ever sending a
 * password: whether the server is willing to authenticate this user over this transport is
 * decided by pg_hba before any credential is exchanged.
 */
export async function askPostgresToAuthenticate(
  endpoint: Endpoint,
  options: { user: string; database: string; transport: 'tls' | 'plaintext'; host: string; replication?: ReplicationMode },
): Promise<StartupEvidence> {
  const started = performance.now();
  const base = { user: options.user, database: options.database, transport: options.transport, ...(options.replication ? { replication: options.replication } : {}) };
  const finish = (rest: Pick<StartupEvidence, 'outcome' | 'reason' | 'reply'>): StartupEvidence => ({
    ...base,
    ...rest,
    elapsedMs: Math.round(performance.now() - started),
  });
  let socket: Socket;
  try {
    socket = options.transport === 'tls' ? await openTls(endpoint, options.host) : await openPlain(endpoint);
  } catch (error) {
    return finish({ outcome: 'undecided', reason: error instanceof Error ? error.message : String(error) });
  }
  const remaining = Math.max(1, endpoint.timeoutMs - (performance.now() - started));
  return new Promise<StartupEvidence>((resolve) => {
    let received = Buffer.alloc(0);
    const done = (evidence: StartupEvidence) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      // Asked to authenticate: a Terminate message ends the backend at once (it logs a FATAL
      // "expected SASL response" line). A connection that just ends would be quieter, but the
      // server counts that as a failed authentication, and auth_delay then holds the backend for
      // its delay: a matrix's dozens of paths would hold as many connection slots (max_connections
      // exhausted on the lab's hardened server). Refused or silent: the server is done with the
      // connection, so nothing is written to it at all.
      if (evidence.outcome === 'asked-to-authenticate') {
        if (!socket.destroyed) socket.end(TERMINATE);
        setTimeout(() => socket.destroy(), 1000).unref();
      } else {
        socket.destroy();
      }
      resolve(evidence);
    };
    const timer = setTimeout(() => done(finish({ outcome: 'undecided', reason: `no answer to the startup message within ${endpoint.timeoutMs} ms` })), remaining);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      try {
        const reply = parseFirstReply(received);
        if (!reply) return;
        if (reply.kind === 'authentication') {
          done(finish({ outcome: 'asked-to-authenticate', reply, reason: `server asked for authentication method ${describe(reply)}` }));
        } else {
          done(finish({ outcome: 'refused', reply, reason: `server refused: ${reply.error.code ?? '?'} ${reply.error.message ?? ''}`.trim() }));
        }
      } catch (error) {
        done(finish({ outcome: 'undecided', reason: (error as Error).message }));
      }
    });
    socket.on('error', (error) => done(finish({ outcome: 'undecided', reason: `connection failed: ${error.message}` })));
    socket.on('close', () => done(finish({ outcome: 'undecided', reason: 'server closed the connection without answering the startup message' })));
    const replication: Record<string, string> = options.replication ? { replication: options.replication } : {};
    socket.write(buildStartupMessage({ user: options.user, database: options.database, application_name: 'dbcomply', ...replication }));
  });
}

function describe(reply: FirstReply & { kind: 'authentication' }): string {
  const { request } = reply;
  return request.method === 'sasl' ? `SASL (${request.mechanisms.join(', ')})` : request.method;
}

function openPlain(endpoint: Endpoint): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port, localAddress: endpoint.localAddress });
    const timer = setTimeout(() => {
      setTimeout(() => socket.destroy(), 1000).unref();
      reject(new Error(`connecting to ${endpoint.host}:${endpoint.port} did not finish within ${endpoint.timeoutMs} ms`));
    }, endpoint.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot connect to ${endpoint.host}:${endpoint.port}: ${error.message}`));
    });
  });
}

/**
 * One TLS context for every startup probe: a login path matrix opens dozens of TLS connections per
 * target, and building a fresh context (CA store, defaults) for each was a third of their cost.
 * Nothing in it is per-target: the probe verifies nothing and offers no client certificate.
 */
let startupContext: tls.SecureContext | undefined;

async function openTls(endpoint: Endpoint, host: string): Promise<Socket> {
  const connection = await dialPreTls(endpoint).catch((error: unknown) => {
    throw new Error(error instanceof PreTlsError ? `${error.failure.kind}: ${error.failure.detail}` : String(error));
  });
  return new Promise((resolve, reject) => {
    startupContext ??= tls.createSecureContext({ ciphers: LOGIN_CIPHERS });
    const socket = tls.connect({ socket: connection.socket, servername: isIP(host) ? undefined : host, rejectUnauthorized: false, secureContext: startupContext });
    // Destroying a TLS socket leaves the TCP socket it wraps open; a reset one then keeps the event loop spinning.
    socket.once('close', () => connection.socket.destroy());
    const fail = (message: string) => {
      clearTimeout(timer);
      setTimeout(() => socket.destroy(), 1000).unref();
      connection.socket.destroy();
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`TLS handshake did not finish within ${endpoint.timeoutMs} ms`), endpoint.timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => fail(`TLS handshake failed: ${error.message}`));
  });
}
