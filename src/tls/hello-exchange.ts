import type { Socket } from 'node:net';
import { parseServerAnswer, TlsProtocolError, type ServerAnswer } from './server-hello.js';

/** A ServerHello fits in a few hundred bytes; a peer that sends this much without one is not answering. */
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
 * Sends one ClientHello on a socket at the TLS point and reads until the server's answer is complete.
 * The socket is destroyed afterwards in every case: the handshake is never completed.
 */
export function exchangeHellos(socket: Socket, clientHello: Buffer, timeoutMs: number): Promise<ServerAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const fail = (failure: HelloExchangeFailure, detail: string) => settle(() => reject(new HelloExchangeError(failure, detail)));
    const timer = setTimeout(() => fail('timeout', `no complete answer to the ClientHello within ${timeoutMs} ms (${received} bytes received)`), timeoutMs);

    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received > MAX_SERVER_ANSWER_BYTES) {
        fail('protocol-error', `no ServerHello or alert within the first ${MAX_SERVER_ANSWER_BYTES} bytes`);
        return;
      }
      try {
        const answer = parseServerAnswer(Buffer.concat(chunks));
        if (answer) settle(() => resolve(answer));
      } catch (error) {
        if (error instanceof TlsProtocolError) {
          fail('protocol-error', `server answered the ClientHello with something that is not TLS: ${error.message}`);
        } else {
          settle(() => reject(error));
        }
      }
    });
    socket.on('end', () => fail('closed', `server closed the connection without a ServerHello or alert (${received} bytes received)`));
    socket.on('close', () => fail('closed', `connection closed without a ServerHello or alert (${received} bytes received)`));
    socket.on('error', (error: NodeJS.ErrnoException) => fail('socket-error', `connection failed after the ClientHello: ${error.code ?? error.message}`));
    socket.write(clientHello);
  });
}
