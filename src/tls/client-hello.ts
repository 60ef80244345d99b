import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { WIRE_VERSION, type TlsVersion } from './versions.js';

export interface ClientHelloOptions {
  version: TlsVersion;
  /** Offered exactly as given, in this order. */
  cipherSuites: readonly number[];
  /** Sent as SNI unless it is an IP address. */
  serverName?: string;
  /** application_layer_protocol_negotiation (RFC 7301), e.g. ["postgresql"] for PostgreSQL's direct TLS. */
  alpn?: readonly string[];
}

const CONTENT_TYPE_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
const MAX_RECORD_PAYLOAD = 16384;
const NULL_COMPRESSION = 0;

const EXTENSION_SERVER_NAME = 0;
const EXTENSION_SUPPORTED_GROUPS = 10;
const EXTENSION_EC_POINT_FORMATS = 11;
const EXTENSION_SIGNATURE_ALGORITHMS = 13;
const EXTENSION_ALPN = 16;
const EXTENSION_SUPPORTED_VERSIONS = 43;
const EXTENSION_PSK_KEY_EXCHANGE_MODES = 45;
const EXTENSION_KEY_SHARE = 51;
const EXTENSION_RENEGOTIATION_INFO = 0xff01;

const SERVER_NAME_HOST = 0;
const EC_POINT_UNCOMPRESSED = 0;
const PSK_DHE_KE = 1;
const X25519 = 0x001d;
const X25519_KEY_LENGTH = 32;

/** Broad on purpose: a server that shares no group with us would refuse suites it actually accepts. */
const SUPPORTED_GROUPS = [
  X25519,
  0x0017, // secp256r1
  0x0018, // secp384r1
  0x0019, // secp521r1
  0x001e, // x448
  0x0100, // ffdhe2048
  0x0101, // ffdhe3072
  0x0102, // ffdhe4096
];

/** Includes SHA-1 and DSA schemes so that servers with legacy keys still pick their (E)DH(E)-DSS/ECDSA suites. */
const SIGNATURE_ALGORITHMS = [
  0x0403, // ecdsa_secp256r1_sha256
  0x0503, // ecdsa_secp384r1_sha384
  0x0603, // ecdsa_secp521r1_sha512
  0x0807, // ed25519
  0x0808, // ed448
  0x0804, // rsa_pss_rsae_sha256
  0x0805, // rsa_pss_rsae_sha384
  0x0806, // rsa_pss_rsae_sha512
  0x0809, // rsa_pss_pss_sha256
  0x080a, // rsa_pss_pss_sha384
  0x080b, // rsa_pss_pss_sha512
  0x0401, // rsa_pkcs1_sha256
  0x0501, // rsa_pkcs1_sha384
  0x0601, // rsa_pkcs1_sha512
  0x0303, // ecdsa_sha224
  0x0301, // rsa_pkcs1_sha224
  0x0302, // dsa_sha224
  0x0402, // dsa_sha256
  0x0502, // dsa_sha384
  0x0602, // dsa_sha512
  0x0203, // ecdsa_sha1
  0x0201, // rsa_pkcs1_sha1
  0x0202, // dsa_sha1
];

/**
 * One TLS record holding a ClientHello for exactly one version. TLS 1.0-1.2 put the version in the
 * record and client_version and send no supported_versions, so the server negotiates as an old
 * client would make it; TLS 1.3 uses legacy_version 0x0303 and supported_versions [0x0304].
 */
export function buildClientHello(options: ClientHelloOptions): Buffer {
  const tls13 = options.version === 'TLSv1.3';
  const body = Buffer.concat([
    u16(tls13 ? WIRE_VERSION['TLSv1.2'] : WIRE_VERSION[options.version]),
    randomBytes(32),
    // TLS 1.3 middlebox compatibility mode: some servers only answer a non-empty legacy_session_id.
    vector8(tls13 ? randomBytes(32) : Buffer.alloc(0)),
    vector16(Buffer.concat(options.cipherSuites.map(u16))),
    vector8(Buffer.from([NULL_COMPRESSION])),
    vector16(Buffer.concat(extensions(options))),
  ]);
  const handshake = Buffer.concat([Buffer.from([HANDSHAKE_CLIENT_HELLO]), u24(body.length), body]);
  if (handshake.length > MAX_RECORD_PAYLOAD) {
    throw new Error(`ClientHello of ${handshake.length} bytes does not fit one record; offer fewer suites`);
  }
  const recordVersion = tls13 ? WIRE_VERSION.TLSv1 : WIRE_VERSION[options.version];
  return Buffer.concat([Buffer.from([CONTENT_TYPE_HANDSHAKE]), u16(recordVersion), u16(handshake.length), handshake]);
}

function extensions(options: ClientHelloOptions): Buffer[] {
  const list: Buffer[] = [];
  const hostName = sniHostName(options.serverName);
  if (hostName) {
    list.push(extension(EXTENSION_SERVER_NAME, vector16(Buffer.concat([Buffer.from([SERVER_NAME_HOST]), vector16(Buffer.from(hostName, 'ascii'))]))));
  }
  list.push(extension(EXTENSION_SUPPORTED_GROUPS, vector16(Buffer.concat(SUPPORTED_GROUPS.map(u16)))));
  list.push(extension(EXTENSION_EC_POINT_FORMATS, vector8(Buffer.from([EC_POINT_UNCOMPRESSED]))));
  // RFC 5246 §7.4.1.4.1: clients offering versions before TLS 1.2 must not send signature_algorithms.
  if (options.version === 'TLSv1.2' || options.version === 'TLSv1.3') {
    list.push(extension(EXTENSION_SIGNATURE_ALGORITHMS, vector16(Buffer.concat(SIGNATURE_ALGORITHMS.map(u16)))));
  }
  if (options.alpn && options.alpn.length > 0) {
    list.push(extension(EXTENSION_ALPN, vector16(Buffer.concat(options.alpn.map((protocol) => vector8(Buffer.from(protocol, 'ascii')))))));
  }
  list.push(extension(EXTENSION_RENEGOTIATION_INFO, vector8(Buffer.alloc(0))));
  if (options.version === 'TLSv1.3') {
    list.push(extension(EXTENSION_SUPPORTED_VERSIONS, vector8(u16(WIRE_VERSION['TLSv1.3']))));
    // Any 32 bytes are an x25519 public value; we never derive the shared secret.
    list.push(extension(EXTENSION_KEY_SHARE, vector16(Buffer.concat([u16(X25519), vector16(randomBytes(X25519_KEY_LENGTH))]))));
    list.push(extension(EXTENSION_PSK_KEY_EXCHANGE_MODES, vector8(Buffer.from([PSK_DHE_KE]))));
  }
  return list;
}

function sniHostName(serverName: string | undefined): string | undefined {
  if (!serverName || isIP(serverName)) return undefined;
  return domainToASCII(serverName.replace(/\.$/, '')) || undefined;
}

function extension(type: number, data: Buffer): Buffer {
  return Buffer.concat([u16(type), vector16(data)]);
}

function vector8(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([data.length]), data]);
}

function vector16(data: Buffer): Buffer {
  return Buffer.concat([u16(data.length), data]);
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

function u24(value: number): Buffer {
  const bytes = Buffer.alloc(3);
  bytes.writeUIntBE(value, 0, 3);
  return bytes;
}
