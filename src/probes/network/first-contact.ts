import net from 'node:net';
import type { Endpoint } from '../../targets/target.js';
import { parseInitialHandshake } from '../../wire/mysql/handshake.js';
import { MAX_GREETING_LENGTH, PACKET_HEADER_LENGTH } from '../../wire/mysql/packet.js';
import { SSL_REQUEST } from '../../wire/postgres/ssl-request.js';
import { socketErrorCode } from '../../util/socket-error-code.js';

/**
 * What a source sees of the server before it has said who it is. MySQL speaks first (a greeting,
 * or an error packet when no account matches the source's host); PostgreSQL speaks only after the
 * client, so the probe sends an SSLRequest, which carries no name and no credential.
 */
export type FirstContact =
  /** No answer to the TCP SYN within the timeout: a firewall that drops. */
  | { kind: 'dropped'; detail: string }
  /** A TCP reset or an ICMP unreachable: a firewall (or a closed port) that rejects. */
  | { kind: 'refused'; code: string; detail: string }
  /** TCP accepted, then closed before the server sent a single byte. */
  | { kind: 'closed-silently'; detail: string }
  /** TCP accepted and held open, but nothing arrived within the timeout. */
  | { kind: 'silent'; detail: string }
  | { kind: 'mysql-greeting'; serverVersion: string; connectionId: number; authPlugin: string }
  /** An ERR packet instead of a greeting, e.g. 1130 "Host '…' is not allowed to connect". */
  | { kind: 'mysql-error'; code: number; sqlState?: string; message: string }
  /** The one-byte answer to an SSLRequest ('S' TLS, 'N' no TLS) or the start of an error message ('E'). */
  | { kind: 'postgres-ssl-answer'; answer: string }
  /** Bytes that are not what this engine sends first: something answered, we cannot say what. */
  | { kind: 'unrecognised'; bytes: string; detail: string }
  /** The probe could not start from this source (address not on this machine, no route, name not found). */
  | { kind: 'vantage-error'; code?: string; detail: string };

export interface FirstContactEvidence {
  contact: FirstContact;
  /** The address the socket was bound to, as the kernel reports it once connected. */
  localAddress?: string;
  connectMs?: number;
  elapsedMs: number;
}

/** A reset or an ICMP unreachable from the path: the network answered "no". */
const REFUSAL_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH']);
/** How many bytes of an unrecognised answer the evidence shows. */
const SHOWN_BYTES = 64;

export function firstContact(endpoint: Endpoint): Promise<FirstContactEvidence> {
  const started = performance.now();
  return new Promise((resolve) => {
    let connectedAt: number | undefined;
    let received = Buffer.alloc(0);
    let localAddress: string | undefined;
    const socket = net.connect({ host: endpoint.host, port: endpoint.port, localAddress: endpoint.localAddress, noDelay: true });
    const finish = (contact: FirstContact) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve({
        contact,
        localAddress,
        connectMs: connectedAt === undefined ? undefined : Math.round(connectedAt - started),
        elapsedMs: Math.round(performance.now() - started),
      });
    };
    const partial = (why: string): FirstContact => ({ kind: 'unrecognised', bytes: hex(received), detail: `${received.length} bytes, then ${why}` });
    const timer = setTimeout(() => {
      if (connectedAt === undefined) finish({ kind: 'dropped', detail: `no answer to the TCP connection attempt within ${endpoint.timeoutMs} ms` });
      else if (received.length === 0) finish({ kind: 'silent', detail: `connected, but the server sent nothing within ${endpoint.timeoutMs} ms` });
      else finish(partial(`nothing more within ${endpoint.timeoutMs} ms`));
    }, endpoint.timeoutMs);
    socket.once('connect', () => {
      connectedAt = performance.now();
      localAddress = socket.localAddress;
      if (endpoint.engine === 'postgres') socket.write(SSL_REQUEST);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const contact = endpoint.engine === 'postgres' ? postgresContact(received) : mysqlContact(received);
      if (contact) finish(contact);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = socketErrorCode(error) ?? 'unknown error';
      if (connectedAt !== undefined) finish(received.length === 0 ? { kind: 'closed-silently', detail: `connection reset after it was accepted (${code})` } : partial(`a reset (${code})`));
      else if (code === 'ETIMEDOUT') finish({ kind: 'dropped', detail: `the kernel gave up connecting (${code})` });
      else if (REFUSAL_CODES.has(code)) finish({ kind: 'refused', code, detail: `connection refused by the network (${code})` });
      else finish({ kind: 'vantage-error', code, detail: `cannot connect from here: ${code} ${error.message}` });
    });
    socket.on('close', () => finish(received.length === 0 ? { kind: 'closed-silently', detail: 'connection accepted, then closed before any byte' } : partial('the connection closed')));
  });
}

function postgresContact(received: Buffer): FirstContact {
  const answer = String.fromCharCode(received[0]);
  return 'SNE'.includes(answer) ? { kind: 'postgres-ssl-answer', answer } : { kind: 'unrecognised', bytes: hex(received), detail: 'not an answer to an SSLRequest' };
}

/** Undefined while the first packet is still incomplete. */
function mysqlContact(received: Buffer): FirstContact | undefined {
  if (received.length < PACKET_HEADER_LENGTH) return undefined;
  const payloadLength = received.readUIntLE(0, 3);
  if (payloadLength === 0 || payloadLength > MAX_GREETING_LENGTH) return { kind: 'unrecognised', bytes: hex(received), detail: `a packet header announcing ${payloadLength} bytes` };
  if (received.length < PACKET_HEADER_LENGTH + payloadLength) return undefined;
  try {
    const packet = parseInitialHandshake(received.subarray(PACKET_HEADER_LENGTH, PACKET_HEADER_LENGTH + payloadLength));
    return packet.kind === 'greeting'
      ? { kind: 'mysql-greeting', serverVersion: packet.serverVersion, connectionId: packet.connectionId, authPlugin: packet.authPlugin }
      : { kind: 'mysql-error', code: packet.code, sqlState: packet.sqlState, message: packet.message };
  } catch (error) {
    return { kind: 'unrecognised', bytes: hex(received), detail: (error as Error).message };
  }
}

function hex(bytes: Buffer): string {
  return bytes.subarray(0, SHOWN_BYTES).toString('hex');
}
