/**
 * Misbehaving peers on real loopback sockets: whatever a server does, a run against it ends
 * within a bound set by its timeout, every control it could not judge is undecided with a
 * reason, and nothing passes or crashes.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { runTarget } from '../../src/runner/run-target.js';
import { rememberPassword } from '../../src/targets/secret-store.js';
import type { Engine, Target } from '../../src/targets/target.js';
import { afterPostgresYes, listen, mysqlGreetingPayload, mysqlPacket, readExactly, serverPool } from '../tls/test-servers.js';
import { handshakeMessage, record, serverHelloRecord } from '../tls/tls-records.js';

const TIMEOUT_MS = 400;
/** Generous: a handful of sequential operations, each bounded by the timeout, plus Cucumber itself. */
const RUN_BOUND_MS = 15_000;

const serve = serverPool();
const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-hostile-'));
after(() => rm(outDir, { recursive: true, force: true }));
let targetNumber = 0;

/** Plays the engine's preamble (greeting + SSL request, or SSLRequest + 'S'), then `then` takes over. */
function afterPreamble(engine: Engine, then: (socket: Socket) => void): (socket: Socket) => void {
  if (engine === 'postgres') return afterPostgresYes((socket) => then(socket));
  return (socket) => {
    socket.write(mysqlPacket(0, mysqlGreetingPayload()));
    void readExactly(socket, 36).then(() => then(socket), () => undefined);
  };
}

const trickle = (socket: Socket) => {
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(Buffer.from([0x16]))), 1000);
  socket.on('close', () => clearInterval(timer));
};

/** A TLS 1.2 ServerHello followed by a Certificate message whose certificate is not DER at all. */
const malformedCertificate = (socket: Socket) => {
  const bogus = Buffer.from('this is not a certificate');
  const entry = Buffer.concat([Buffer.from([0, 0, bogus.length]), bogus]);
  const list = Buffer.concat([Buffer.from([0, 0, entry.length]), entry]);
  socket.write(Buffer.concat([serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0xc02f }), record(22, 0x0303, handshakeMessage(11, list))]));
};

interface Peer {
  host?: string;
  port: number;
}

const HOSTILE: Array<{ name: string; make: (engine: Engine) => Promise<Peer> }> = [
  { name: 'a tarpit that accepts and never speaks', make: async () => serve(() => undefined) },
  { name: 'a peer that trickles a byte a second', make: async (engine) => serve(engine === 'mysql' ? trickle : afterPreamble(engine, trickle)) },
  { name: 'a peer that sends garbage instead of a greeting', make: async () => serve((socket) => socket.end(Buffer.from('\x00\x01garbage\xff'.repeat(40), 'latin1'))) },
  // resetAndDestroy() on a socket the client already ended spins Node 20's event loop, so only reset a live one.
  {
    name: 'a peer that resets in the middle of the TLS handshake',
    make: async (engine) => serve(afterPreamble(engine, (socket) => (socket.readableEnded ? socket.destroy() : socket.resetAndDestroy()))),
  },
  {
    name: 'a peer that announces an enormous packet',
    make: async (engine) =>
      serve(engine === 'mysql' ? (socket) => socket.write(Buffer.from([0xff, 0xff, 0xff, 0x00, 0x0a])) : afterPreamble(engine, (socket) => socket.write(Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff])))),
  },
  { name: 'a TLS server with a malformed certificate', make: async (engine) => serve(afterPreamble(engine, malformedCertificate)) },
  {
    name: 'a port where nothing listens',
    make: async () => {
      const server = await listen(() => undefined);
      await server.close();
      return server;
    },
  },
  { name: 'a name that does not resolve', make: async () => ({ host: 'no-such-host.invalid', port: 5432 }) },
];

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`${engine} probes against hostile peers`, () => {
    for (const { name, make } of HOSTILE) {
      it(`${name}: bounded, undecided, never a pass`, async () => {
        const { host = '127.0.0.1', port } = await make(engine);
        const target: Target = {
          name: `hostile-${engine}-${targetNumber++}-${name.replace(/\W+/g, '-')}`.slice(0, 64),
          engine,
          host,
          port,
          user: 'app',
          database: 'app',
          profile: 'baseline',
          timeoutMs: TIMEOUT_MS,
          minCertDaysLeft: 30,
        };
        rememberPassword(target.name, 'irrelevant-password');
        const started = performance.now();
        const result = await runTarget(target, outDir, '@area:transport');
        const elapsed = performance.now() - started;
        assert.ok(elapsed < RUN_BOUND_MS, `took ${Math.round(elapsed)} ms`);
        const judged = Object.entries(result.controls).filter(([, verdict]) => verdict !== 'skipped');
        assert.ok(judged.length >= 11, 'every transport control was attempted');
        for (const [id, verdict] of judged) {
          assert.equal(verdict, 'undecided', `${id} was ${verdict}: ${result.reasons[id]}`);
          assert.ok((result.reasons[id] ?? '').length > 10, `${id} has a reason`);
        }
      });
    }
  });
}
