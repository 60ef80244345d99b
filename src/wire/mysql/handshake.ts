import { PreTlsError } from '../pre-tls.js';
import { CLIENT_PLUGIN_AUTH, CLIENT_SECURE_CONNECTION } from './capabilities.js';

/** Protocol::HandshakeV10, minus the authentication nonce, which we never use. */
export interface MysqlGreeting {
  kind: 'greeting';
  protocolVersion: number;
  serverVersion: string;
  connectionId: number;
  capabilities: number;
  characterSet?: number;
  statusFlags?: number;
  authPlugin: string;
}

/** An ERR packet sent instead of a greeting, e.g. 1130 "Host '…' is not allowed to connect". */
export interface MysqlErrorPacket {
  kind: 'error';
  code: number;
  sqlState?: string;
  message: string;
}

const ERR_HEADER = 0xff;
const SQLSTATE_MARKER = 0x23;
const PROTOCOL_VERSION_10 = 10;
const AUTH_DATA_PART_1_LENGTH = 8;
const MIN_AUTH_DATA_PART_2_LENGTH = 13;
const RESERVED_LENGTH = 10;

/** Parses the payload of the first packet a MySQL or MariaDB server sends. */
export function parseInitialHandshake(payload: Buffer): MysqlGreeting | MysqlErrorPacket {
  const reader = new PayloadReader(payload);
  const first = reader.u8('protocol version');
  if (first === ERR_HEADER) return parseErrorPacket(reader);
  if (first !== PROTOCOL_VERSION_10) {
    throw new PreTlsError({ kind: 'protocol-error', detail: `unsupported MySQL protocol version ${first} in the greeting (expected 10)` });
  }
  const serverVersion = reader.nulTerminated('server version');
  const connectionId = reader.u32('connection id');
  reader.skip(AUTH_DATA_PART_1_LENGTH + 1, 'auth-plugin-data part 1 and filler');
  const lowerCapabilities = reader.u16('capability flags');
  if (reader.atEnd()) {
    return { kind: 'greeting', protocolVersion: first, serverVersion, connectionId, capabilities: lowerCapabilities, authPlugin: '' };
  }
  const characterSet = reader.u8('character set');
  const statusFlags = reader.u16('status flags');
  const capabilities = (lowerCapabilities | (reader.u16('upper capability flags') << 16)) >>> 0;
  const authDataLength = reader.u8('auth-plugin-data length');
  reader.skip(RESERVED_LENGTH, 'reserved bytes');
  if (capabilities & CLIENT_SECURE_CONNECTION) {
    reader.skip(Math.max(MIN_AUTH_DATA_PART_2_LENGTH, authDataLength - AUTH_DATA_PART_1_LENGTH), 'auth-plugin-data part 2');
  }
  // MySQL 5.5.7-5.5.9 omitted the terminating NUL of the plugin name, hence the lenient read.
  const authPlugin = capabilities & CLIENT_PLUGIN_AUTH ? reader.nulTerminatedOrRest() : '';
  return { kind: 'greeting', protocolVersion: first, serverVersion, connectionId, capabilities, characterSet, statusFlags, authPlugin };
}

function parseErrorPacket(reader: PayloadReader): MysqlErrorPacket {
  const code = reader.u16('error code');
  let sqlState: string | undefined;
  // Before the client announced CLIENT_PROTOCOL_41 servers may leave out the '#' + SQLSTATE marker.
  if (reader.peek() === SQLSTATE_MARKER) {
    reader.skip(1, 'SQLSTATE marker');
    sqlState = reader.ascii(5, 'SQLSTATE');
  }
  return { kind: 'error', code, sqlState, message: reader.rest().toString('utf8') };
}

class PayloadReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  peek(): number | undefined {
    return this.bytes[this.offset];
  }

  u8(field: string): number {
    return this.take(1, field)[0];
  }

  u16(field: string): number {
    return this.take(2, field).readUInt16LE(0);
  }

  u32(field: string): number {
    return this.take(4, field).readUInt32LE(0);
  }

  skip(length: number, field: string): void {
    this.take(length, field);
  }

  ascii(length: number, field: string): string {
    return this.take(length, field).toString('latin1');
  }

  nulTerminated(field: string): string {
    const end = this.bytes.indexOf(0, this.offset);
    if (end < 0) throw truncated(field);
    const text = this.bytes.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return text;
  }

  nulTerminatedOrRest(): string {
    const end = this.bytes.indexOf(0, this.offset);
    const text = this.bytes.toString('utf8', this.offset, end < 0 ? this.bytes.length : end);
    this.offset = this.bytes.length;
    return text;
  }

  rest(): Buffer {
    const rest = this.bytes.subarray(this.offset);
    this.offset = this.bytes.length;
    return rest;
  }

  private take(length: number, field: string): Buffer {
    if (this.offset + length > this.bytes.length) throw truncated(field);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}

function truncated(field: string): PreTlsError {
  return new PreTlsError({ kind: 'protocol-error', detail: `MySQL greeting ends inside the ${field}` });
}
