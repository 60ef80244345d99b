import { PreTlsError } from '../pre-tls.js';

export const PACKET_HEADER_LENGTH = 4;

/** Real greetings are about 100 bytes; a larger claim is garbage, not something to allocate for. */
export const MAX_GREETING_LENGTH = 64 * 1024;

export interface PacketHeader {
  payloadLength: number;
  sequenceId: number;
}

export function parsePacketHeader(header: Buffer, maxPayloadLength: number): PacketHeader {
  if (header.length !== PACKET_HEADER_LENGTH) {
    throw new PreTlsError({ kind: 'protocol-error', detail: `MySQL packet header must be 4 bytes, got ${header.length}` });
  }
  const payloadLength = header.readUIntLE(0, 3);
  if (payloadLength === 0 || payloadLength > maxPayloadLength) {
    throw new PreTlsError({ kind: 'protocol-error', detail: `MySQL packet announces ${payloadLength} bytes (expected 1..${maxPayloadLength})` });
  }
  return { payloadLength, sequenceId: header[3] };
}

export function framePacket(sequenceId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(PACKET_HEADER_LENGTH);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequenceId;
  return Buffer.concat([header, payload]);
}
