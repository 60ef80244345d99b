import { PreTlsError } from '../pre-tls.js';
import type { PreambleIo } from '../preamble-io.js';
import {
  CLIENT_LONG_FLAG,
  CLIENT_LONG_PASSWORD,
  CLIENT_MULTI_RESULTS,
  CLIENT_PLUGIN_AUTH,
  CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA,
  CLIENT_PROTOCOL_41,
  CLIENT_PS_MULTI_RESULTS,
  CLIENT_SECURE_CONNECTION,
  CLIENT_SSL,
  CLIENT_TRANSACTIONS,
} from './capabilities.js';
import { parseInitialHandshake, type MysqlGreeting } from './handshake.js';
import { framePacket, MAX_GREETING_LENGTH, PACKET_HEADER_LENGTH, parsePacketHeader } from './packet.js';
import { MysqlServerRefusal } from './server-refusal.js';

/** What libmysqlclient and mysql2 announce for a plain login; CLIENT_LONG_PASSWORD doubles as MariaDB's CLIENT_MYSQL. */
const CLIENT_CAPABILITIES =
  CLIENT_LONG_PASSWORD |
  CLIENT_LONG_FLAG |
  CLIENT_PROTOCOL_41 |
  CLIENT_SSL |
  CLIENT_TRANSACTIONS |
  CLIENT_SECURE_CONNECTION |
  CLIENT_MULTI_RESULTS |
  CLIENT_PS_MULTI_RESULTS |
  CLIENT_PLUGIN_AUTH |
  CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

const MAX_PACKET_SIZE = 16 * 1024 * 1024;
const UTF8MB4_GENERAL_CI = 45;
const SSL_REQUEST_PAYLOAD_LENGTH = 32;

/** Protocol::SSLRequest: the first 32 bytes of a HandshakeResponse41, sent in place of it. */
export function buildSslRequest(serverCapabilities: number, sequenceId: number): Buffer {
  const payload = Buffer.alloc(SSL_REQUEST_PAYLOAD_LENGTH);
  payload.writeUInt32LE((CLIENT_CAPABILITIES & serverCapabilities) >>> 0, 0);
  payload.writeUInt32LE(MAX_PACKET_SIZE, 4);
  payload[8] = UTF8MB4_GENERAL_CI;
  return framePacket(sequenceId, payload);
}

export async function negotiateMysqlTls(io: PreambleIo): Promise<MysqlGreeting> {
  const header = parsePacketHeader(await io.read(PACKET_HEADER_LENGTH), MAX_GREETING_LENGTH);
  if (header.sequenceId !== 0) {
    throw new PreTlsError({ kind: 'protocol-error', detail: `MySQL greeting has sequence id ${header.sequenceId}, expected 0` });
  }
  const handshake = parseInitialHandshake(await io.read(header.payloadLength));
  if (handshake.kind === 'error') throw new MysqlServerRefusal(handshake);
  if (!(handshake.capabilities & CLIENT_SSL)) {
    throw new PreTlsError({ kind: 'tls-not-offered', detail: `server ${handshake.serverVersion} does not announce CLIENT_SSL (TLS not enabled)` });
  }
  if (!(handshake.capabilities & CLIENT_PROTOCOL_41)) {
    throw new PreTlsError({ kind: 'protocol-error', detail: `server ${handshake.serverVersion} lacks CLIENT_PROTOCOL_41; pre-4.1 servers are not supported` });
  }
  io.write(buildSslRequest(handshake.capabilities, header.sequenceId + 1));
  return handshake;
}
