import { createECDH, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { finiteFieldPublicValue } from './finite-field-public-value.js';
import { FFDHE2048_PRIME, namedGroupCode } from './key-exchange-groups.js';
import { WIRE_VERSION, type TlsVersion } from './versions.js';

export interface ClientHelloOptions {
  version: TlsVersion;
  /** Offered exactly as given, in this order. */
  cipherSuites: readonly number[];
  /** Sent as SNI unless it is an IP address. */
  serverName?: string;
  /** application_layer_protocol_negotiation (RFC 7301), e.g. ["postgresql"] for PostgreSQL's direct TLS. */
  alpn?: readonly string[];
  /** Below TLS 1.3: the supported_groups to offer instead of GROUPS_OFFERED_BEFORE_TLS13 (names as there). */
  groups?: readonly string[];
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

/**
 * Below TLS 1.3, broad on purpose and strongest first: a server that shares no group with us would
 * refuse suites it actually accepts, and one that honours our order then picks its strongest
 * group, so a weak group shows only where the server has nothing better. The RFC 7919 groups tell a
 * server that knows them which DHE group we want; one that sends its own prime ignored them.
 */
export const GROUPS_OFFERED_BEFORE_TLS13: readonly string[] = [
  'x25519', 'secp256r1', 'secp384r1', 'secp521r1', 'x448',
  'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1', 'secp256k1',
  'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192',
  'sect283k1', 'sect283r1', 'sect409k1', 'sect409r1', 'sect571k1', 'sect571r1',
  'secp224r1', 'secp224k1', 'sect233k1', 'sect233r1', 'sect239k1',
  'secp192r1', 'secp192k1', 'sect193r1', 'sect193r2',
  'secp160k1', 'secp160r1', 'secp160r2', 'sect163k1', 'sect163r1', 'sect163r2',
];
const SUPPORTED_GROUPS_BEFORE_TLS13 = GROUPS_OFFERED_BEFORE_TLS13.map(namedGroupCode);

/** TLS 1.3 allows only these (RFC 8446 §4.2.7); a key share is sent for the first four (see keyShares). */
export const GROUPS_OFFERED_TLS13: readonly string[] = ['x25519', 'secp256r1', 'secp384r1', 'secp521r1', 'x448', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'];
const SUPPORTED_GROUPS_TLS13 = GROUPS_OFFERED_TLS13.map(namedGroupCode);
export const TLS13_KEY_SHARES_SENT: readonly string[] = ['x25519', 'secp256r1', 'secp384r1', 'ffdhe2048'];

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
  const groups = options.version === 'TLSv1.3' ? SUPPORTED_GROUPS_TLS13 : options.groups ? options.groups.map(namedGroupCode) : SUPPORTED_GROUPS_BEFORE_TLS13;
  list.push(extension(EXTENSION_SUPPORTED_GROUPS, vector16(Buffer.concat(groups.map(u16)))));
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
    list.push(extension(EXTENSION_KEY_SHARE, vector16(keyShares())));
    list.push(extension(EXTENSION_PSK_KEY_EXCHANGE_MODES, vector8(Buffer.from([PSK_DHE_KE]))));
  }
  return list;
}

let keyShareEntries: Buffer | undefined;

/**
 * KeyShareEntries for x25519, secp256r1, secp384r1 and ffdhe2048, so that a server limited to one
 * of them (PostgreSQL before 18 allows only its ssl_ecdh_curve, prime256v1 by default) answers with
 * a ServerHello and its group instead of a HelloRetryRequest. The values are real public keys
 * (servers check that a point is on its curve), made once per process: we never derive a secret,
 * so reusing them gives nothing away.
 */
function keyShares(): Buffer {
  keyShareEntries ??= Buffer.concat(TLS13_KEY_SHARES_SENT.map((group) => keyShareEntry(group, publicValue(group))));
  return keyShareEntries;
}

function publicValue(group: string): Buffer {
  switch (group) {
    case 'x25519':
      // Any 32 bytes are an x25519 public value.
      return randomBytes(32);
    case 'secp256r1':
      return createECDH('prime256v1').generateKeys();
    case 'secp384r1':
      return createECDH('secp384r1').generateKeys();
    case 'ffdhe2048':
      return finiteFieldPublicValue(FFDHE2048_PRIME);
    default:
      throw new Error(`no key share generator for ${group}`);
  }
}

function keyShareEntry(group: string, value: Buffer): Buffer {
  return Buffer.concat([u16(namedGroupCode(group)), vector16(value)]);
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
