import type { Socket } from 'node:net';
import { parseServerAnswer, TlsProtocolError, type ServerAnswer, type ServerAnswerOptions } from './server-hello.js';

/**
 * A ServerHello fits in a few hundred bytes, and the flight up to a ServerKeyExchange in a few
 * kilobytes (the certificate chain); a peer that sends this much without them is not answering.
 */
const MAX_SERVER_ANSWER_BYTES = 64 * 1024;

export type HelloExchangeFailure = 'timeout' | 'closed' | 'socket-error' | 'protocol-error';

export class HelloExchangeError extends Error {
  constructor(
    readonly failure: HelloExchangeFailure,
    detail: string,
  ) {
    super(detail);
    this.name = 'HelloExchangeError';
  }
}

/**
 * Sends one ClientHello on a socket at the TLS point and reads until the server's answer is complete:
 * the ServerHello (or alert), and with `options.keyExchangeOf` the ServerKeyExchange after it. The
 * server sends that whole flight at once, so reading on costs no round trip. Once a ServerHello has
 * arrived, a close, timeout or garbage no longer fails the exchange: the answer stands, with its key
 * exchange unreadable and why. The socket is destroyed afterwards in every case: the handshake is
 * never completed.
 */
export function exchangeHellos(socket: Socket, clientHello: Buffer, timeoutMs: number, options: ServerAnswerOptions = {}): Promise<ServerAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    /** A ServerHello whose ServerKeyExchange is still on its way. */
    let pending: (ServerAnswer & { kind: 'server-hello' }) | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    /** `cause` says what happened in words that fit both before and after the ServerHello. */
    const fail = (failure: HelloExchangeFailure, detail: string, cause: string = detail) => {
      if (pending) {
        const answer = pending;
        const reason = `no ServerKeyExchange after the ServerHello: ${cause} (${received} bytes received)`;
        settle(() => resolve({ ...answer, keyExchange: { kind: 'unreadable', reason } }));
        return;
      }
      settle(() => reject(new HelloExchangeError(failure, detail)));
    };
    const timer = setTimeout(
      () => fail('timeout', `no complete answer to the ClientHello within ${timeoutMs} ms (${received} bytes received)`, `nothing more within ${timeoutMs} ms`),
      timeoutMs,
    );

    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received > MAX_SERVER_ANSWER_BYTES) {
        fail('protocol-error', `no ServerHello or alert within the first ${MAX_SERVER_ANSWER_BYTES} bytes`, `more than ${MAX_SERVER_ANSWER_BYTES} bytes`);
        return;
      }
      try {
        const answer = parseServerAnswer(Buffer.concat(chunks), options);
        if (answer?.kind === 'server-hello' && answer.keyExchange?.kind === 'pending') pending = answer;
        else if (answer) settle(() => resolve(answer));
      } catch (error) {
        if (error instanceof TlsProtocolError) {
          fail('protocol-error', `server answered the ClientHello with something that is not TLS: ${error.message}`);
        } else {
          settle(() => reject(error));
        }
      }
    });
    socket.on('end', () => fail('closed', `server closed the connection without a ServerHello or alert (${received} bytes received)`, 'the server closed the connection'));
    socket.on('close', () => fail('closed', `connection closed without a ServerHello or alert (${received} bytes received)`, 'the connection closed'));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      fail('socket-error', `connection failed after the ClientHello: ${error.code ?? error.message}`, `connection failed: ${error.code ?? error.message}`),
    );
    socket.write(clientHello);
  });
}
