import { TLS_ALERTS, type TlsAlert } from './alerts.js';

/** The server's first word after our ClientHello, as far as a cipher scan cares. */
export type ServerAnswer =
  | {
      kind: 'server-hello';
      /** Wire version actually negotiated: supported_versions when present, else legacy_version. */
      version: number;
      cipherSuite: number;
      /** A TLS 1.3 HelloRetryRequest: the server still chose the suite, it only wants another key share. */
      helloRetryRequest: boolean;
    }
  | ({ kind: 'alert'; level: 'warning' | 'fatal' } & TlsAlert);

/** The bytes cannot be the start of a TLS server's answer. */
export class TlsProtocolError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'TlsProtocolError';
  }
}

const CONTENT_TYPE_ALERT = 21;
const CONTENT_TYPE_HANDSHAKE = 22;
const RECORD_HEADER_LENGTH = 5;
/** TLSCiphertext bound of RFC 5246 §6.2.3; plaintext records are smaller still. */
const MAX_RECORD_LENGTH = 16384 + 2048;
const HANDSHAKE_HEADER_LENGTH = 4;
const HANDSHAKE_SERVER_HELLO = 2;
const MAX_SERVER_HELLO_LENGTH = 16384;
const ALERT_LEVELS: Record<number, 'warning' | 'fatal'> = { 1: 'warning', 2: 'fatal' };
const ALERT_UNRECOGNIZED_NAME = 112;
const EXTENSION_SUPPORTED_VERSIONS = 43;

/** RFC 8446 §4.1.3: SHA-256("HelloRetryRequest") in the random field marks a HelloRetryRequest. */
const HELLO_RETRY_REQUEST_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/**
 * Reads the records a server sent so far. Returns undefined while the answer is incomplete, the
 * answer once a ServerHello or an alert is complete, and throws TlsProtocolError as soon as the bytes
 * cannot be TLS. Handles records split anywhere and ServerHellos split over several records.
 */
export function parseServerAnswer(bytes: Buffer): ServerAnswer | undefined {
  const handshakeFragments: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const header = bytes.subarray(offset, offset + RECORD_HEADER_LENGTH);
    checkRecordHeader(header);
    if (header.length < RECORD_HEADER_LENGTH) return undefined;
    const length = header.readUInt16BE(3);
    const end = offset + RECORD_HEADER_LENGTH + length;
    if (end > bytes.length) return undefined;
    const fragment = bytes.subarray(offset + RECORD_HEADER_LENGTH, end);
    offset = end;
    if (header[0] === CONTENT_TYPE_ALERT) {
      const alert = parseAlert(fragment);
      // RFC 6066 §3 lets a server warn about an unknown SNI name and carry on with its ServerHello.
      if (alert.level === 'warning' && alert.code === ALERT_UNRECOGNIZED_NAME) continue;
      return alert;
    }
    handshakeFragments.push(fragment);
    const serverHello = completeServerHello(Buffer.concat(handshakeFragments));
    if (serverHello) return parseServerHello(serverHello);
  }
  return undefined;
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

/** The ServerHello body once it is complete; only a ServerHello may come first. */
function completeServerHello(handshake: Buffer): Buffer | undefined {
  if (handshake[0] !== HANDSHAKE_SERVER_HELLO) {
    throw new TlsProtocolError(`expected ServerHello (handshake type 2) first, got type ${handshake[0]}`);
  }
  if (handshake.length < HANDSHAKE_HEADER_LENGTH) return undefined;
  const length = handshake.readUIntBE(1, 3);
  if (length > MAX_SERVER_HELLO_LENGTH) throw new TlsProtocolError(`ServerHello claims ${length} bytes`);
  if (handshake.length < HANDSHAKE_HEADER_LENGTH + length) return undefined;
  return handshake.subarray(HANDSHAKE_HEADER_LENGTH, HANDSHAKE_HEADER_LENGTH + length);
}

function parseServerHello(body: Buffer): ServerAnswer & { kind: 'server-hello' } {
  const reader = new HelloReader(body);
  const legacyVersion = reader.u16('legacy_version');
  const random = reader.bytes(32, 'random');
  reader.bytes(reader.u8('legacy_session_id length'), 'legacy_session_id');
  const cipherSuite = reader.u16('cipher_suite');
  reader.u8('compression_method');
  let version = legacyVersion;
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
    }
    if (!reader.atEnd()) throw new TlsProtocolError('bytes after the ServerHello extensions');
  }
  return { kind: 'server-hello', version, cipherSuite, helloRetryRequest: random.equals(HELLO_RETRY_REQUEST_RANDOM) };
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
