/** Test-side TLS record builders and a ClientHello reader, written from RFC 5246/8446 independently of src/. */

export interface ParsedClientHello {
  recordVersion: number;
  clientVersion: number;
  sessionId: Buffer;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions: Map<number, Buffer>;
  extensionOrder: number[];
}

export function parseClientHello(record: Buffer): ParsedClientHello {
  if (record[0] !== 22) throw new Error(`not a handshake record: ${record[0]}`);
  const recordLength = record.readUInt16BE(3);
  if (record.length !== 5 + recordLength) throw new Error('record length mismatch');
  const handshake = record.subarray(5);
  if (handshake[0] !== 1) throw new Error('not a ClientHello');
  if (handshake.readUIntBE(1, 3) !== handshake.length - 4) throw new Error('handshake length mismatch');
  let offset = 4;
  const clientVersion = handshake.readUInt16BE(offset);
  offset += 2 + 32;
  const sessionId = handshake.subarray(offset + 1, offset + 1 + handshake[offset]);
  offset += 1 + sessionId.length;
  const suitesLength = handshake.readUInt16BE(offset);
  const cipherSuites: number[] = [];
  for (let i = 0; i < suitesLength; i += 2) cipherSuites.push(handshake.readUInt16BE(offset + 2 + i));
  offset += 2 + suitesLength;
  const compressionMethods = [...handshake.subarray(offset + 1, offset + 1 + handshake[offset])];
  offset += 1 + compressionMethods.length;
  const extensionsEnd = offset + 2 + handshake.readUInt16BE(offset);
  if (extensionsEnd !== handshake.length) throw new Error('extensions length mismatch');
  offset += 2;
  const extensions = new Map<number, Buffer>();
  const extensionOrder: number[] = [];
  while (offset < extensionsEnd) {
    const type = handshake.readUInt16BE(offset);
    const length = handshake.readUInt16BE(offset + 2);
    extensions.set(type, handshake.subarray(offset + 4, offset + 4 + length));
    extensionOrder.push(type);
    offset += 4 + length;
  }
  if (offset !== extensionsEnd) throw new Error('extension overruns the block');
  return { recordVersion: record.readUInt16BE(1), clientVersion, sessionId, cipherSuites, compressionMethods, extensions, extensionOrder };
}

export const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

export interface ServerHelloFields {
  legacyVersion: number;
  cipherSuite: number;
  random?: Buffer;
  sessionId?: Buffer;
  /** Adds supported_versions with this version. */
  selectedVersion?: number;
  /** Extra extensions as [type, data]. */
  extensions?: Array<[number, Buffer]>;
  /** Leave out the extensions block entirely, as TLS 1.0 servers may. */
  noExtensionsBlock?: boolean;
}

export function serverHelloBody(fields: ServerHelloFields): Buffer {
  const extensions: Array<[number, Buffer]> = [...(fields.extensions ?? [])];
  if (fields.selectedVersion !== undefined) extensions.push([43, u16(fields.selectedVersion)]);
  const sessionId = fields.sessionId ?? Buffer.alloc(0);
  const parts = [
    u16(fields.legacyVersion),
    fields.random ?? Buffer.alloc(32, 0x11),
    Buffer.from([sessionId.length]),
    sessionId,
    u16(fields.cipherSuite),
    Buffer.from([0]),
  ];
  if (!fields.noExtensionsBlock) {
    const block = Buffer.concat(extensions.map(([type, data]) => Buffer.concat([u16(type), u16(data.length), data])));
    parts.push(u16(block.length), block);
  }
  return Buffer.concat(parts);
}

export function handshakeMessage(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header[0] = type;
  header.writeUIntBE(body.length, 1, 3);
  return Buffer.concat([header, body]);
}

export function record(contentType: number, version: number, fragment: Buffer): Buffer {
  return Buffer.concat([Buffer.from([contentType]), u16(version), u16(fragment.length), fragment]);
}

export function serverHelloRecord(fields: ServerHelloFields): Buffer {
  return record(22, 0x0303, handshakeMessage(2, serverHelloBody(fields)));
}

export function alertRecord(level: number, description: number): Buffer {
  return record(21, 0x0303, Buffer.from([level, description]));
}

export function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

/** ServerKeyExchange body for DHE (RFC 5246 §7.4.3): dh_p, dh_g, dh_Ys, then a signature we never check. */
export function dheServerKeyExchange(prime: Buffer, generator = Buffer.from([2]), publicValue = Buffer.alloc(prime.length, 5)): Buffer {
  return Buffer.concat([vector16(prime), vector16(generator), vector16(publicValue), u16(0x0401), vector16(Buffer.alloc(64, 9))]);
}

/** ServerKeyExchange body for ECDHE with a named curve (RFC 8422 §5.4). */
export function ecdheServerKeyExchange(namedCurve: number, point = Buffer.alloc(65, 4)): Buffer {
  return Buffer.concat([Buffer.from([3]), u16(namedCurve), Buffer.from([point.length]), point, u16(0x0401), vector16(Buffer.alloc(64, 9))]);
}

/** ServerHello, Certificate, ServerKeyExchange and ServerHelloDone in one record, as OpenSSL sends them. */
export function serverFlight(fields: ServerHelloFields, serverKeyExchange: Buffer | undefined, certificateBytes = 1200): Buffer {
  return Buffer.concat([
    handshakeMessage(2, serverHelloBody(fields)),
    handshakeMessage(11, Buffer.alloc(certificateBytes, 0x30)),
    ...(serverKeyExchange ? [handshakeMessage(12, serverKeyExchange)] : []),
    handshakeMessage(14, Buffer.alloc(0)),
  ]);
}

/** Cuts a handshake byte stream into records of the given sizes, cycling through them. */
export function intoRecords(stream: Buffer, sizes: readonly number[], version = 0x0303): Buffer {
  const records: Buffer[] = [];
  for (let offset = 0, i = 0; offset < stream.length; i += 1) {
    const size = sizes[i % sizes.length];
    records.push(record(22, version, stream.subarray(offset, offset + size)));
    offset += size;
  }
  return Buffer.concat(records);
}

function vector16(data: Buffer): Buffer {
  return Buffer.concat([u16(data.length), data]);
}
