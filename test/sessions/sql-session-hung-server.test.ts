/**
 * A server that answers the first bytes of a login and then neither answers nor closes (a stuck
 * process, a middlebox that swallows the rest): the login must give up at its deadline AND let go
 * of the socket. Once, the driver's socket stayed open, half-closed, waiting for a goodbye that
 * never came: the run printed its report and then never exited (a CI job hangs until it is killed,
 * and a SIGTERM then rewrote the complete run as partial).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqlSession } from '../../src/sessions/sql-session.js';
import { sampleTarget } from '../support/sample-target.js';

const servers: Server[] = [];
const held: Socket[] = [];
after(() => {
  // Whatever a failing test left open on either side, so that the file ends.
  const ports = new Set(servers.map((server) => (server.address() as { port: number }).port));
  for (const handle of (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles()) {
    if (handle instanceof Object && ports.has((handle as Socket).remotePort ?? 0)) (handle as Socket).destroy();
  }
  for (const socket of held) socket.destroy();
  for (const server of servers) server.close();
});

/** Listens on loopback; `answer` writes the first bytes to each connection, which is then held open (FIN ignored). */
async function hungServer(answer: (socket: Socket) => void): Promise<number> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    held.push(socket);
    socket.on('error', () => undefined);
    answer(socket);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

/** Client sockets of this process still open to `port`. */
function openSocketsTo(port: number): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle) => handle instanceof Object && (handle as Socket).remotePort === port && !(handle as Socket).destroyed).length;
}

async function settlesAndLetsGo(port: number, engine: 'postgres' | 'mysql') {
  const target = sampleTarget({ engine, host: '127.0.0.1', port, timeoutMs: 1000, database: 'app' });
  const login = openSqlSession(target, { user: 'app', password: 'pw' }, 'tls', AbortSignal.timeout(1500)).then(
    () => 'logged in',
    () => 'refused',
  );
  assert.equal(await Promise.race([login, sleep(5000, 'still waiting after 5 s')]), 'refused', 'the login gives up within its deadline');
  for (let waited = 0; waited < 3000 && openSocketsTo(port) > 0; waited += 100) await sleep(100);
  assert.equal(openSocketsTo(port), 0, 'no socket to the hung server is left open');
}

test('PostgreSQL: a server that declines TLS and then hangs: the login fails and its socket is closed', async () => {
  const port = await hungServer((socket) => socket.once('data', () => socket.write('N')));
  await settlesAndLetsGo(port, 'postgres');
});

test('PostgreSQL: a server that accepts TLS and then says nothing: the login times out and its socket is closed', async () => {
  const port = await hungServer((socket) => socket.once('data', () => socket.write('S')));
  await settlesAndLetsGo(port, 'postgres');
});

test('MySQL: a server that greets, offers TLS and then says nothing: the login times out and its socket is closed', async () => {
  const port = await hungServer((socket) => {
    const version = Buffer.from('10.11.99-MariaDB\0');
    const capabilities = Buffer.alloc(2);
    capabilities.writeUInt16LE(0xf7ff); // includes CLIENT_SSL and CLIENT_PROTOCOL_41
    const upper = Buffer.alloc(2);
    upper.writeUInt16LE(0x81bf); // includes CLIENT_PLUGIN_AUTH
    const payload = Buffer.concat([
      Buffer.from([0x0a]), version, Buffer.from([1, 0, 0, 0]), Buffer.from('abcdefgh\0'), capabilities,
      Buffer.from([0x21, 2, 0]), upper, Buffer.from([21]), Buffer.alloc(10), Buffer.from('ijklmnopqrst\0'), Buffer.from('mysql_native_password\0'),
    ]);
    const header = Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, payload.length >> 16, 0]);
    socket.write(Buffer.concat([header, payload]));
  });
  await settlesAndLetsGo(port, 'mysql');
});
