import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { after } from 'node:test';
import type { Endpoint, Engine } from '../../src/targets/target.js';

export interface TestServer {
  port: number;
  endpoint(engine: Engine, timeoutMs?: number): Endpoint;
  /** How many connections the server accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 with a free port whose connections are destroyed on close. */
export async function listen(onConnection: (socket: Socket) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    endpoint: (engine, timeoutMs = 2000) => ({ engine, host: '127.0.0.1', port, timeoutMs }),
    connections: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** listen() for one test file: every server it starts is closed when the file's tests end. */
export function serverPool(): (onConnection: (socket: Socket) => void) => Promise<TestServer> {
  const servers: TestServer[] = [];
  after(() => Promise.all(servers.map((server) => server.close())));
  return async (onConnection) => {
    const server = await listen(onConnection);
    servers.push(server);
    return server;
  };
}

/** Reads exactly `length` bytes without taking more from the socket. */
export function readExactly(socket: Socket, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const chunk: Buffer | null = socket.read(length);
      if (chunk === null) return;
      socket.off('readable', attempt);
      socket.off('end', ended);
      resolve(chunk);
    };
    const ended = () => reject(new Error('peer closed'));
    socket.on('readable', attempt);
    socket.once('end', ended);
    attempt();
  });
}

let certificate: { key: Buffer; cert: Buffer } | undefined;

/** A throwaway self-signed RSA certificate for localhost, made once per test process. */
export function testCertificate(): { key: Buffer; cert: Buffer } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'dbcomply-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost'],
      { stdio: 'ignore' },
    );
    certificate = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    return certificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface MysqlGreetingFields {
  serverVersion?: string;
  connectionId?: number;
  capabilities?: number;
  authPlugin?: string;
}

/** CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH and the usual rest, as MySQL 8 sends. */
export const MYSQL8_CAPABILITIES = 0xdfffffff;

/** Protocol::HandshakeV10 as MySQL 8 writes it. */
export function mysqlGreetingPayload(fields: MysqlGreetingFields = {}): Buffer {
  const capabilities = fields.capabilities ?? MYSQL8_CAPABILITIES;
  const fixed = Buffer.alloc(4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10);
  let offset = fixed.writeUInt32LE(fields.connectionId ?? 7, 0);
  offset += Buffer.from('abcdefgh').copy(fixed, offset);
  offset = fixed.writeUInt8(0, offset);
  offset = fixed.writeUInt16LE(capabilities & 0xffff, offset);
  offset = fixed.writeUInt8(255, offset);
  offset = fixed.writeUInt16LE(2, offset);
  offset = fixed.writeUInt16LE(capabilities >>> 16, offset);
  fixed.writeUInt8(21, offset);
  return Buffer.concat([
    Buffer.from([10]),
    Buffer.from(`${fields.serverVersion ?? '8.0.36'}\0`),
    fixed,
    Buffer.from('ijklmnopqrst\0'),
    Buffer.from(`${fields.authPlugin ?? 'caching_sha2_password'}\0`),
  ]);
}

export function mysqlPacket(sequenceId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequenceId;
  return Buffer.concat([header, payload]);
}

export interface TlsServerOptions {
  ciphers?: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** 'auto', or DH parameters in PEM for DHE suites. */
  dhparam?: 'auto' | string;
  /** OpenSSL group list for ECDHE and TLS 1.3, e.g. 'P-256' or 'X25519:P-384'. */
  ecdhCurve?: string;
}

export interface MysqlPreambleOptions {
  greeting?: MysqlGreetingFields;
  onSslRequest?: (packet: Buffer) => void;
}

/** Plays the engine's side of the preamble, then hands the socket to a real Node TLS server. */
export function tlsAfterPreamble(engine: Engine, options: TlsServerOptions, mysql: MysqlPreambleOptions = {}): (socket: Socket) => void {
  const secureContext = tls.createSecureContext({ ...testCertificate(), ...options });
  const startTls = (socket: Socket) => new tls.TLSSocket(socket, { isServer: true, secureContext }).on('error', () => undefined);
  return (socket) => {
    if (engine === 'postgres') {
      void readExactly(socket, 8).then(() => {
        socket.write('S');
        startTls(socket);
      }, () => undefined);
      return;
    }
    socket.write(mysqlPacket(0, mysqlGreetingPayload(mysql.greeting)));
    void readExactly(socket, 36).then((sslRequest) => {
      mysql.onSslRequest?.(sslRequest);
      startTls(socket);
    }, () => undefined);
  };
}

/** Answers the PostgreSQL SSLRequest with 'S', then lets `afterS` play the TLS server. */
export function afterPostgresYes(afterS: (socket: Socket, clientHello: Buffer) => void): (socket: Socket) => void {
  return (socket) => {
    void readExactly(socket, 8)
      .then(() => {
        socket.write('S');
        return readClientHello(socket);
      })
      .then((hello) => afterS(socket, hello), () => undefined);
  };
}

async function readClientHello(socket: Socket): Promise<Buffer> {
  const header = await readExactly(socket, 5);
  return Buffer.concat([header, await readExactly(socket, header.readUInt16BE(3))]);
}

export interface TwoPathOptions {
  /** The TLS server behind PostgreSQL's SSLRequest; absent: answer 'N'. */
  sslRequest?: TlsServerOptions;
  /** The TLS server for a ClientHello sent as the first bytes (direct TLS); absent: hang up, as PostgreSQL 16 does. */
  direct?: TlsServerOptions & { alpn?: string[] };
}

/**
 * A PostgreSQL-like front with two ways into TLS that can differ, as a TLS-terminating proxy in
 * front of a server might: the SSLRequest path and PostgreSQL 17's direct path (first byte 0x16).
 */
export function postgresTwoPaths(options: TwoPathOptions): (socket: Socket) => void {
  const context = (settings: TlsServerOptions) => tls.createSecureContext({ ...testCertificate(), ...settings });
  const sslRequestContext = options.sslRequest && context(options.sslRequest);
  const directContext = options.direct && context(options.direct);
  const startTls = (socket: Socket, secureContext: tls.SecureContext, alpn?: string[]) =>
    new tls.TLSSocket(socket, { isServer: true, secureContext, ...(alpn ? { ALPNProtocols: alpn } : {}) }).on('error', () => undefined);
  return (socket) => {
    void readExactly(socket, 1).then(async (first) => {
      if (first[0] === 0x16) {
        if (!directContext) {
          socket.destroy();
          return;
        }
        // The ClientHello's first byte goes back: the TLS layer reads whatever the socket holds.
        socket.unshift(first);
        startTls(socket, directContext, options.direct?.alpn);
        return;
      }
      const rest = await readExactly(socket, 7);
      if (!Buffer.concat([first, rest]).equals(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]))) {
        socket.destroy();
        return;
      }
      if (!sslRequestContext) {
        socket.write('N');
        return;
      }
      socket.write('S');
      startTls(socket, sslRequestContext);
    }, () => undefined);
  };
}
