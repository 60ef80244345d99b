import { TLS_ALERTS, type TlsAlert } from './alerts.js';
import type { EphemeralGroup } from './key-exchange-groups.js';
import { parseServerKeyExchange, type EphemeralKind } from './server-key-exchange.js';
import { TlsProtocolError } from './tls-protocol-error.js';

export { TlsProtocolError } from './tls-protocol-error.js';

/**
 * The ephemeral group of a TLS 1.0-1.2 suite, read from the ServerKeyExchange that follows the
 * ServerHello: pending while it has not arrived, unreadable when the server sent something else
 * (the suite was still accepted; only its group is unknown).
 */
export type KeyExchangeReading = { kind: 'read'; group: EphemeralGroup } | { kind: 'pending' } | { kind: 'unreadable'; reason: string };

/** The server's first word after our ClientHello, as far as a cipher scan cares. */
export type ServerAnswer =
  | {
      kind: 'server-hello';
      /** Wire version actually negotiated: supported_versions when present, else legacy_version. */
      version: number;
      cipherSuite: number;
      /** A TLS 1.3 HelloRetryRequest: the server still chose the suite, it only wants another key share. */
      helloRetryRequest: boolean;
      /** TLS 1.3: the group of the server's key_share (or, in a HelloRetryRequest, the group it asks for). */
      keyShareGroup?: number;
      /** Present when the caller asked to read on to the ServerKeyExchange for this suite. */
      keyExchange?: KeyExchangeReading;
    }
  | ({ kind: 'alert'; level: 'warning' | 'fatal' } & TlsAlert);

export interface ServerAnswerOptions {
  /**
   * Which ServerKeyExchange to read on for, given the ServerHello; undefined (or no function):
   * the answer is complete with the ServerHello.
   */
  keyExchangeOf?: (hello: { version: number; cipherSuite: number }) => EphemeralKind | undefined;
}

const CONTENT_TYPE_ALERT = 21;
const CONTENT_TYPE_HANDSHAKE = 22;
const RECORD_HEADER_LENGTH = 5;
/** TLSCiphertext bound of RFC 5246 §6.2.3; plaintext records are smaller still. */
const MAX_RECORD_LENGTH = 16384 + 2048;
const HANDSHAKE_HEADER_LENGTH = 4;
const HANDSHAKE_SERVER_HELLO = 2;
const HANDSHAKE_SERVER_KEY_EXCHANGE = 12;
const HANDSHAKE_SERVER_HELLO_DONE = 14;
/** Certificate chains are the largest message before the ServerKeyExchange; none is near this. */
const MAX_HANDSHAKE_MESSAGE_LENGTH = 256 * 1024;
const MAX_SERVER_HELLO_LENGTH = 16384;
const ALERT_LEVELS: Record<number, 'warning' | 'fatal'> = { 1: 'warning', 2: 'fatal' };
const ALERT_UNRECOGNIZED_NAME = 112;
const EXTENSION_SUPPORTED_VERSIONS = 43;
const EXTENSION_KEY_SHARE = 51;
const TLS13 = 0x0304;

/** RFC 8446 §4.1.3: SHA-256("HelloRetryRequest") in the random field marks a HelloRetryRequest. */
const HELLO_RETRY_REQUEST_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/**
 * Reads the records a server sent so far. Returns undefined while the answer is incomplete, the
 * answer once a ServerHello or an alert is complete, and throws TlsProtocolError as soon as the bytes
 * cannot be TLS. Handles records split anywhere and handshake messages split over several records.
 * When `options.keyExchangeOf` names a key exchange for the ServerHello's suite, it reads on through
 * Certificate (and CertificateStatus) to the ServerKeyExchange: the answer then carries
 * `keyExchange`, pending until that message is complete. Nothing after the ServerHello throws: a
 * suite the server accepted stays accepted, with its group unreadable and the reason.
 */
export function parseServerAnswer(bytes: Buffer, options: ServerAnswerOptions = {}): ServerAnswer | undefined {
  const handshake = new HandshakeStream();
  let serverHello: (ServerAnswer & { kind: 'server-hello' }) | undefined;
  let wanted: EphemeralKind | undefined;
  const records = new RecordStream(bytes);
  const afterHello = (keyExchange: KeyExchangeReading): ServerAnswer => ({ ...serverHello!, keyExchange });
  try {
    for (let next = records.next(); next !== undefined; next = records.next()) {
      if (next.type === CONTENT_TYPE_ALERT) {
        const alert = parseAlert(next.fragment);
        // RFC 6066 §3 lets a server warn about an unknown SNI name and carry on with its ServerHello.
        if (alert.level === 'warning' && alert.code === ALERT_UNRECOGNIZED_NAME) continue;
        if (serverHello) return afterHello({ kind: 'unreadable', reason: `the server sent alert ${alert.code} (${alert.name}) after its ServerHello` });
        return alert;
      }
      handshake.push(next.fragment);
      for (let message = handshake.next(); message !== undefined; message = handshake.next()) {
        if (!serverHello) {
          if (message.type !== HANDSHAKE_SERVER_HELLO) throw new TlsProtocolError(`expected ServerHello (handshake type 2) first, got type ${message.type}`);
          const hello = parseServerHello(message.body);
          serverHello = hello;
          wanted = options.keyExchangeOf?.(hello);
          if (wanted === undefined) return hello;
          continue;
        }
        if (message.type === HANDSHAKE_SERVER_KEY_EXCHANGE) return afterHello({ kind: 'read', group: parseServerKeyExchange(message.body, wanted!) });
        if (message.type === HANDSHAKE_SERVER_HELLO_DONE) return afterHello({ kind: 'unreadable', reason: 'the server sent ServerHelloDone without a ServerKeyExchange' });
      }
      if (!serverHello) handshake.checkPendingServerHello();
    }
  } catch (error) {
    if (error instanceof TlsProtocolError && serverHello) return afterHello({ kind: 'unreadable', reason: `after the ServerHello: ${error.message}` });
    throw error;
  }
  return serverHello && afterHello({ kind: 'pending' });
}

/** Complete records, one at a time; checks the header of a record still arriving, so garbage fails early. */
class RecordStream {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  next(): { type: number; fragment: Buffer } | undefined {
    if (this.offset >= this.bytes.length) return undefined;
    const header = this.bytes.subarray(this.offset, this.offset + RECORD_HEADER_LENGTH);
    checkRecordHeader(header);
    if (header.length < RECORD_HEADER_LENGTH) return undefined;
    const end = this.offset + RECORD_HEADER_LENGTH + header.readUInt16BE(3);
    if (end > this.bytes.length) return undefined;
    const fragment = this.bytes.subarray(this.offset + RECORD_HEADER_LENGTH, end);
    this.offset = end;
    return { type: header[0], fragment };
  }
}

/** Handshake messages reassembled from record fragments, one at a time. */
class HandshakeStream {
  private buffered = Buffer.alloc(0);

  push(fragment: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, fragment]);
  }

  next(): { type: number; body: Buffer } | undefined {
    if (this.buffered.length < HANDSHAKE_HEADER_LENGTH) return undefined;
    const length = this.buffered.readUIntBE(1, 3);
    if (length > MAX_HANDSHAKE_MESSAGE_LENGTH) throw new TlsProtocolError(`handshake message of type ${this.buffered[0]} claims ${length} bytes`);
    if (this.buffered.length < HANDSHAKE_HEADER_LENGTH + length) return undefined;
    const message = { type: this.buffered[0], body: this.buffered.subarray(HANDSHAKE_HEADER_LENGTH, HANDSHAKE_HEADER_LENGTH + length) };
    this.buffered = this.buffered.subarray(HANDSHAKE_HEADER_LENGTH + length);
    return message;
  }

  /** Rejects a first message that cannot become a ServerHello without waiting for all of it. */
  checkPendingServerHello(): void {
    if (this.buffered.length === 0) return;
    if (this.buffered[0] !== HANDSHAKE_SERVER_HELLO) throw new TlsProtocolError(`expected ServerHello (handshake type 2) first, got type ${this.buffered[0]}`);
    if (this.buffered.length >= HANDSHAKE_HEADER_LENGTH && this.buffered.readUIntBE(1, 3) > MAX_SERVER_HELLO_LENGTH) {
      throw new TlsProtocolError(`ServerHello claims ${this.buffered.readUIntBE(1, 3)} bytes`);
    }
  }
}

/** Checks whatever part of a record header has arrived, so garbage is rejected without waiting for more. */
function checkRecordHeader(header: Buffer): void {
  const [type, major] = header;
  if (type !== CONTENT_TYPE_ALERT && type !== CONTENT_TYPE_HANDSHAKE) {
    throw new TlsProtocolError(`expected a TLS handshake or alert record, got content type ${type}`);
  }
  if (header.length >= 2 && major !== 3) throw new TlsProtocolError(`record version major byte is ${major}, not 3`);
  if (header.length < RECORD_HEADER_LENGTH) return;
  const length = header.readUInt16BE(3);
  if (length === 0 || length > MAX_RECORD_LENGTH) throw new TlsProtocolError(`record length ${length} is out of range`);
}

function parseAlert(fragment: Buffer): ServerAnswer & { kind: 'alert' } {
  if (fragment.length !== 2) throw new TlsProtocolError(`alert record of ${fragment.length} bytes, expected 2`);
  const level = ALERT_LEVELS[fragment[0]];
  if (!level) throw new TlsProtocolError(`alert level ${fragment[0]} is neither warning (1) nor fatal (2)`);
  const code = fragment[1];
  return { kind: 'alert', level, code, name: TLS_ALERTS[code] ?? 'unassigned' };
}

function parseServerHello(body: Buffer): ServerAnswer & { kind: 'server-hello' } {
  if (body.length > MAX_SERVER_HELLO_LENGTH) throw new TlsProtocolError(`ServerHello claims ${body.length} bytes`);
  const reader = new HelloReader(body);
  const legacyVersion = reader.u16('legacy_version');
  const random = reader.bytes(32, 'random');
  reader.bytes(reader.u8('legacy_session_id length'), 'legacy_session_id');
  const cipherSuite = reader.u16('cipher_suite');
  reader.u8('compression_method');
  let version = legacyVersion;
  let keyShare: Buffer | undefined;
  // TLS 1.0 and 1.1 servers may end the ServerHello here, without an extensions block.
  if (!reader.atEnd()) {
    const extensions = new HelloReader(reader.bytes(reader.u16('extensions length'), 'extensions'));
    while (!extensions.atEnd()) {
      const type = extensions.u16('extension type');
      const data = extensions.bytes(extensions.u16('extension length'), 'extension data');
      if (type === EXTENSION_SUPPORTED_VERSIONS) {
        if (data.length !== 2) throw new TlsProtocolError(`supported_versions in ServerHello has ${data.length} bytes, expected 2`);
        version = data.readUInt16BE(0);
      }
      if (type === EXTENSION_KEY_SHARE) keyShare = data;
    }
    if (!reader.atEnd()) throw new TlsProtocolError('bytes after the ServerHello extensions');
  }
  const helloRetryRequest = random.equals(HELLO_RETRY_REQUEST_RANDOM);
  const keyShareGroup = version === TLS13 && keyShare ? keyShareGroupOf(keyShare, helloRetryRequest) : undefined;
  return { kind: 'server-hello', version, cipherSuite, helloRetryRequest, ...(keyShareGroup === undefined ? {} : { keyShareGroup }) };
}

/** RFC 8446 §4.2.8: a HelloRetryRequest names the group it wants; a ServerHello carries one KeyShareEntry. */
function keyShareGroupOf(data: Buffer, helloRetryRequest: boolean): number {
  if (helloRetryRequest) {
    if (data.length !== 2) throw new TlsProtocolError(`key_share in HelloRetryRequest has ${data.length} bytes, expected 2`);
    return data.readUInt16BE(0);
  }
  if (data.length < 5 || data.readUInt16BE(2) !== data.length - 4) throw new TlsProtocolError(`key_share in ServerHello is not one KeyShareEntry (${data.length} bytes)`);
  return data.readUInt16BE(0);
}

class HelloReader {
  private offset = 0;

  constructor(private readonly data: Buffer) {}

  atEnd(): boolean {
    return this.offset >= this.data.length;
  }

  u8(field: string): number {
    return this.bytes(1, field)[0];
  }

  u16(field: string): number {
    return this.bytes(2, field).readUInt16BE(0);
  }

  bytes(length: number, field: string): Buffer {
    if (this.offset + length > this.data.length) throw new TlsProtocolError(`ServerHello ends inside ${field}`);
    const slice = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}
