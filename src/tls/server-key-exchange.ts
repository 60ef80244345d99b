import { dhGroupFromPrime, groupByCode, type EphemeralGroup } from './key-exchange-groups.js';
import { TlsProtocolError } from './tls-protocol-error.js';

/** Which ServerKeyExchange layout a TLS 1.0-1.2 suite implies: finite-field (RFC 5246) or elliptic-curve (RFC 8422). */
export type EphemeralKind = 'DH' | 'ECDH';

const CURVE_TYPE_EXPLICIT_PRIME = 1;
const CURVE_TYPE_EXPLICIT_CHAR2 = 2;
const CURVE_TYPE_NAMED = 3;

/**
 * Reads the ephemeral group out of a ServerKeyExchange body: dh_p (and that dh_g and dh_Ys are
 * there) for DHE, the curve for ECDHE. The signature after it is not read: we never complete the
 * handshake, so nothing here is trusted beyond "this is the group the server chose". Throws only
 * TlsProtocolError.
 */
export function parseServerKeyExchange(body: Buffer, kind: EphemeralKind): EphemeralGroup {
  const reader = new KeyExchangeReader(body);
  if (kind === 'DH') {
    const prime = reader.vector16('dh_p');
    reader.vector16('dh_g');
    reader.vector16('dh_Ys');
    const group = dhGroupFromPrime(prime);
    if (group.bits === 0) throw new TlsProtocolError('ServerKeyExchange carries a DH prime of zero');
    return group;
  }
  const curveType = reader.u8('curve_type');
  if (curveType === CURVE_TYPE_NAMED) {
    const group = groupByCode(reader.u16('named_curve'));
    if (reader.vector8('public point').length === 0) throw new TlsProtocolError('ServerKeyExchange has an empty public point');
    return group;
  }
  // RFC 8422 removed explicit curves; one is sized by its field, as a named curve over that field would be.
  if (curveType === CURVE_TYPE_EXPLICIT_PRIME) return explicitCurve('prime', dhGroupFromPrime(reader.vector8('prime_p')).bits);
  if (curveType === CURVE_TYPE_EXPLICIT_CHAR2) return explicitCurve('binary', reader.u16('m'));
  throw new TlsProtocolError(`ServerKeyExchange has curve_type ${curveType}`);
}

function explicitCurve(field: 'prime' | 'binary', bits: number): EphemeralGroup {
  return { family: 'EC', name: `explicit ${field} curve (${bits} bits)`, bits, strengthBits: Math.floor(bits / 2) };
}

class KeyExchangeReader {
  private offset = 0;

  constructor(private readonly data: Buffer) {}

  u8(field: string): number {
    return this.bytes(1, field)[0];
  }

  u16(field: string): number {
    return this.bytes(2, field).readUInt16BE(0);
  }

  vector8(field: string): Buffer {
    return this.bytes(this.u8(`${field} length`), field);
  }

  vector16(field: string): Buffer {
    const length = this.u16(`${field} length`);
    if (length === 0) throw new TlsProtocolError(`ServerKeyExchange has an empty ${field}`);
    return this.bytes(length, field);
  }

  private bytes(length: number, field: string): Buffer {
    if (this.offset + length > this.data.length) throw new TlsProtocolError(`ServerKeyExchange ends inside ${field}`);
    const slice = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}
