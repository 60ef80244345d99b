import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import { dialPreTls } from '../../src/wire/dial.js';
import { MysqlServerRefusal } from '../../src/wire/mysql/server-refusal.js';
import { PreTlsError, type PreTlsFailure } from '../../src/wire/pre-tls.js';
import type { Endpoint } from '../../src/targets/target.js';
import { listen, serverPool, mysqlGreetingPayload, mysqlPacket, readExactly, tlsAfterPreamble } from '../tls/test-servers.js';

const serve = serverPool();

async function failureOf(endpoint: Endpoint): Promise<PreTlsFailure & { elapsedMs: number; error: PreTlsError }> {
  const started = performance.now();
  try {
    const connection = await dialPreTls(endpoint);
    connection.socket.destroy();
  } catch (error) {
    assert.ok(error instanceof PreTlsError, `expected PreTlsError, got ${error}`);
    return { ...error.failure, elapsedMs: performance.now() - started, error };
  }
  assert.fail('dial succeeded');
}

function handshakeOver(socket: Socket): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ socket, rejectUnauthorized: false, servername: 'localhost' });
    secure.once('secureConnect', () => {
      resolve(secure.getProtocol());
      secure.destroy();
    });
    secure.once('error', reject);
  });
}

/** Answers the SSLRequest with `answer` (and whatever else the test wants sent right away). */
function postgresAnswering(answer: string | Buffer) {
  return (socket: Socket) => void readExactly(socket, 8).then(() => socket.write(answer), () => undefined);
}

describe('dialPreTls for PostgreSQL', () => {
  it("hands over a socket a real TLS handshake can run on after 'S'", async () => {
    const server = await serve(tlsAfterPreamble('postgres', { minVersion: 'TLSv1.2' }));
    const connection = await dialPreTls(server.endpoint('postgres'));
    assert.equal(connection.serverGreeting, undefined);
    assert.equal(connection.socket.listenerCount('data'), 0);
    assert.equal(connection.socket.listenerCount('readable'), 0);
    assert.ok(connection.timings.connectMs >= 0 && connection.timings.preambleMs >= 0);
    assert.equal(await handshakeOver(connection.socket), 'TLSv1.3');
  });

  it('keeps bytes the server sends later for a data listener attached late', async () => {
    const server = await serve((socket) => {
      void readExactly(socket, 8)
        .then(() => {
          socket.write('S');
          return readExactly(socket, 4);
        })
        .then(() => socket.write('pong'), () => undefined);
    });
    const { socket } = await dialPreTls(server.endpoint('postgres'));
    socket.write('ping');
    await sleep(50);
    const received = await new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(chunk.toString())));
    socket.destroy();
    assert.equal(received, 'pong');
  });

  it("reports 'N' as tls-not-offered", async () => {
    const server = await serve(postgresAnswering('N'));
    const failure = await failureOf(server.endpoint('postgres'));
    assert.equal(failure.kind, 'tls-not-offered');
  });

  it("reports an old server's error message as a protocol error", async () => {
    const server = await serve(postgresAnswering(Buffer.from('E\0\0\0\x20SFATAL\0Munsupported frontend protocol\0\0')));
    assert.equal((await failureOf(server.endpoint('postgres'))).kind, 'protocol-error');
  });

  it("refuses bytes sent along with 'S' instead of passing them to TLS", async () => {
    const server = await serve(postgresAnswering(Buffer.from('S\x16\x03\x03\x00\x02')));
    const failure = await failureOf(server.endpoint('postgres'));
    assert.equal(failure.kind, 'protocol-error');
    assert.match(failure.detail, /5 unexpected bytes/);
  });

  it('times out on a server that never answers, within the endpoint deadline', async () => {
    const server = await serve(() => undefined);
    const failure = await failureOf(server.endpoint('postgres', 300));
    assert.equal(failure.kind, 'timeout');
    assert.match(failure.detail, /SSLRequest exchange did not finish within 300 ms/);
    assert.ok(failure.elapsedMs < 600, `took ${failure.elapsedMs} ms`);
  });

  it('reports a server that hangs up as a protocol error', async () => {
    const server = await serve((socket) => socket.end());
    const failure = await failureOf(server.endpoint('postgres'));
    assert.equal(failure.kind, 'protocol-error');
    assert.match(failure.detail, /closed the connection/);
  });

  it('reports a refused connection as unreachable', async () => {
    const server = await listen(() => undefined);
    const endpoint = server.endpoint('postgres');
    await server.close();
    const failure = await failureOf(endpoint);
    assert.equal(failure.kind, 'unreachable');
    assert.match(failure.detail, /ECONNREFUSED/);
  });

  it('reports an unknown host as unreachable', async () => {
    const failure = await failureOf({ engine: 'postgres', host: 'no-such-host.invalid', port: 5432, timeoutMs: 5000 });
    assert.equal(failure.kind, 'unreachable');
    assert.match(failure.detail, /ENOTFOUND|EAI_AGAIN/);
  });
});

describe('dialPreTls for MySQL and MariaDB', () => {
  it('sends the SSL request after the greeting and hands over a socket TLS can run on', async () => {
    let sslRequest: Buffer | undefined;
    const server = await serve(
      tlsAfterPreamble('mysql', { minVersion: 'TLSv1.2' }, { greeting: { serverVersion: '8.0.36', connectionId: 42 }, onSslRequest: (packet) => (sslRequest = packet) }),
    );
    const connection = await dialPreTls(server.endpoint('mysql'));
    assert.deepEqual(connection.serverGreeting, {
      protocolVersion: 10,
      serverVersion: '8.0.36',
      connectionId: 42,
      capabilities: 0xdfffffff,
      authPlugin: 'caching_sha2_password',
    });
    assert.equal(connection.socket.listenerCount('data'), 0);
    assert.equal(await handshakeOver(connection.socket), 'TLSv1.3');
    assert.equal(sslRequest?.readUIntLE(0, 3), 32);
    assert.equal(sslRequest?.[3], 1);
    assert.ok(sslRequest!.readUInt32LE(4) & 0x800, 'CLIENT_SSL');
  });

  it('reports a server without CLIENT_SSL as tls-not-offered', async () => {
    const server = await serve((socket) => socket.write(mysqlPacket(0, mysqlGreetingPayload({ capabilities: 0xdfffffff & ~0x800 }))));
    const failure = await failureOf(server.endpoint('mysql'));
    assert.equal(failure.kind, 'tls-not-offered');
    assert.match(failure.detail, /CLIENT_SSL/);
  });

  it('reports an ERR packet instead of a greeting with its code and message', async () => {
    const message = "Host '10.1.2.3' is not allowed to connect to this MySQL server";
    const server = await serve((socket) => socket.end(mysqlPacket(0, Buffer.concat([Buffer.from([0xff, 0x6a, 0x04]), Buffer.from(message)]))));
    const failure = await failureOf(server.endpoint('mysql'));
    assert.ok(failure.error instanceof MysqlServerRefusal);
    assert.equal(failure.error.code, 1130);
    assert.equal(failure.error.serverMessage, message);
    assert.equal(failure.kind, 'server-refused');
    assert.match(failure.detail, /MySQL error 1130: Host '10\.1\.2\.3' is not allowed/);
  });

  it('refuses an absurd packet length at once, without waiting for the bytes', async () => {
    const server = await serve((socket) => socket.write(Buffer.from([0xff, 0xff, 0xff, 0x00, 0x0a])));
    const failure = await failureOf(server.endpoint('mysql', 5000));
    assert.equal(failure.kind, 'protocol-error');
    assert.ok(failure.elapsedMs < 1000);
  });

  it('refuses a greeting with the wrong sequence id', async () => {
    const server = await serve((socket) => socket.write(mysqlPacket(3, mysqlGreetingPayload())));
    assert.match((await failureOf(server.endpoint('mysql'))).detail, /sequence id 3/);
  });

  it('refuses bytes sent after the greeting', async () => {
    const server = await serve((socket) => socket.write(Buffer.concat([mysqlPacket(0, mysqlGreetingPayload()), Buffer.from([0x16, 0x03])])));
    assert.match((await failureOf(server.endpoint('mysql'))).detail, /2 unexpected bytes/);
  });

  it('reports a greeting cut short by a hang-up as a protocol error', async () => {
    const server = await serve((socket) => socket.end(mysqlPacket(0, mysqlGreetingPayload()).subarray(0, 30)));
    const failure = await failureOf(server.endpoint('mysql'));
    assert.equal(failure.kind, 'protocol-error');
    assert.match(failure.detail, /after 26 of \d+ expected bytes/);
  });

  it('times out on a greeting that trickles in, by the overall deadline rather than an idle timer', async () => {
    const greeting = mysqlPacket(0, mysqlGreetingPayload());
    const server = await serve((socket) => {
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || sent >= greeting.length) return clearInterval(timer);
        socket.write(greeting.subarray(sent, sent + 1));
        sent += 1;
      }, 20);
      socket.on('close', () => clearInterval(timer));
    });
    const failure = await failureOf(server.endpoint('mysql', 400));
    assert.equal(failure.kind, 'timeout');
    assert.match(failure.detail, /MySQL greeting/);
    assert.ok(failure.elapsedMs < 700, `took ${failure.elapsedMs} ms`);
  });
});
