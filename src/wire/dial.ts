import net, { type Socket } from 'node:net';
import type { Endpoint, TlsNegotiation } from '../targets/target.js';
import { negotiateMysqlTls } from './mysql/ssl-request.js';
import { negotiatePostgresTls } from './postgres/ssl-request.js';
import { PreTlsError, type PreTlsConnection } from './pre-tls.js';
import type { PreambleIo } from './preamble-io.js';
import { socketErrorCode } from '../util/socket-error-code.js';


/** The ALPN protocol PostgreSQL 17+ requires on a direct TLS connection (and accepts on the other path). */
export const POSTGRES_ALPN = 'postgresql';

export interface DialOptions {
  /**
   * PostgreSQL only. postgres (default): the SSLRequest exchange. direct: no preamble at all, the
   * next bytes are the ClientHello, which must then offer ALPN "postgresql" (PostgreSQL 17+).
   */
  negotiation?: TlsNegotiation;
}

/**
 * Connects and walks the engine's preamble up to the point where the server expects a ClientHello.
 * One deadline (endpoint.timeoutMs) covers DNS, connect and preamble. Nothing past the preamble is
 * read: the returned socket holds no listeners of ours and any later bytes are still unread.
 */
export async function dialPreTls(endpoint: Endpoint, options: DialOptions = {}): Promise<PreTlsConnection> {
  const negotiation = options.negotiation ?? 'postgres';
  if (negotiation === 'direct' && endpoint.engine !== 'postgres') {
    throw new Error(`direct TLS negotiation exists only for PostgreSQL, not ${endpoint.engine}`);
  }
  const started = performance.now();
  const socket = net.connect({ host: endpoint.host, port: endpoint.port, localAddress: endpoint.localAddress, noDelay: true });
  const channel = new SocketChannel(socket, `${endpoint.host}:${endpoint.port}`);
  let phase = `connecting to ${endpoint.host}:${endpoint.port}`;
  const timer = setTimeout(
    () => channel.abort(new PreTlsError({ kind: 'timeout', detail: `${phase} did not finish within ${endpoint.timeoutMs} ms` })),
    endpoint.timeoutMs,
  );
  try {
    await channel.connected();
    const connectedAt = performance.now();
    let serverGreeting: PreTlsConnection['serverGreeting'];
    if (negotiation === 'direct') {
      // Direct TLS has no preamble: the server tells a ClientHello (0x16) from a startup packet.
    } else if (endpoint.engine === 'postgres') {
      phase = 'the PostgreSQL SSLRequest exchange';
      await negotiatePostgresTls(channel);
    } else {
      phase = 'the MySQL greeting and SSL request';
      const greeting = await negotiateMysqlTls(channel);
      serverGreeting = {
        protocolVersion: greeting.protocolVersion,
        serverVersion: greeting.serverVersion,
        connectionId: greeting.connectionId,
        capabilities: greeting.capabilities,
        authPlugin: greeting.authPlugin,
      };
    }
    channel.ensureNothingUnread();
    channel.release();
    return {
      socket,
      negotiation,
      ...(negotiation === 'direct' ? { alpnProtocols: [POSTGRES_ALPN] } : {}),
      serverGreeting,
      timings: { connectMs: Math.round(connectedAt - started), preambleMs: Math.round(performance.now() - connectedAt) },
    };
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/**
 * Reads in paused mode with `socket.read(n)`, so exactly the preamble is consumed and whatever
 * follows stays in the socket's buffer for the TLS layer.
 */
class SocketChannel implements PreambleIo {
  private isConnected = false;
  private failure?: PreTlsError;
  private connectWaiter?: Waiter<void>;
  private readWaiter?: Waiter<Buffer> & { length: number };

  constructor(
    private readonly socket: Socket,
    private readonly address: string,
  ) {
    socket.on('connect', this.onConnect);
    socket.on('readable', this.onReadable);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  connected(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve, reject) => (this.connectWaiter = { resolve, reject }));
  }

  read(length: number): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    const pending = new Promise<Buffer>((resolve, reject) => (this.readWaiter = { length, resolve, reject }));
    this.onReadable();
    return pending;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  abort(error: PreTlsError): void {
    this.fail(error);
    this.socket.destroy();
  }

  /** The server must wait for our ClientHello; bytes it sent ahead would be read as if inside TLS. */
  ensureNothingUnread(): void {
    if (this.socket.readableLength > 0) {
      throw new PreTlsError({
        kind: 'protocol-error',
        detail: `server sent ${this.socket.readableLength} unexpected bytes after its preamble, before TLS began`,
      });
    }
  }

  release(): void {
    this.socket.off('connect', this.onConnect);
    this.socket.off('readable', this.onReadable);
    this.socket.off('end', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
  }

  private readonly onConnect = () => {
    this.isConnected = true;
    this.connectWaiter?.resolve();
    this.connectWaiter = undefined;
  };

  private readonly onReadable = () => {
    const waiter = this.readWaiter;
    if (!waiter) return;
    const chunk: Buffer | null = this.socket.read(waiter.length);
    if (chunk === null) return;
    // A stream that has ended hands out its last bytes even when fewer than asked for.
    if (chunk.length < waiter.length) {
      this.fail(closedEarly(`after ${chunk.length} of ${waiter.length} expected bytes`));
      return;
    }
    this.readWaiter = undefined;
    waiter.resolve(chunk);
  };

  private readonly onEnd = () => this.fail(closedEarly('before TLS could begin'));

  private readonly onClose = () => this.fail(closedEarly('before TLS could begin'));

  private readonly onError = (error: NodeJS.ErrnoException) => {
    const code = socketErrorCode(error);
    this.fail(
      this.isConnected
        ? new PreTlsError({ kind: 'protocol-error', detail: `connection failed during the preamble: ${code ?? error.message}` })
        : new PreTlsError({ kind: 'unreachable', detail: `cannot connect to ${this.address}: ${code ?? error.message}` }),
    );
  };

  private fail(error: PreTlsError): void {
    if (this.failure) return;
    this.failure = error;
    this.connectWaiter?.reject(error);
    this.readWaiter?.reject(error);
    this.connectWaiter = this.readWaiter = undefined;
  }
}

function closedEarly(when: string): PreTlsError {
  return new PreTlsError({ kind: 'protocol-error', detail: `server closed the connection ${when}` });
}
