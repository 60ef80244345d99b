import { createHash, getDiffieHellman } from 'node:crypto';

/**
 * The ephemeral group of a key exchange, as read off the wire: a finite-field (DH) group by the size
 * of its prime, or an elliptic curve by name. `strengthBits` is the security level NIST SP 800-57
 * assigns (DH-1024: 80, DH-2048: 112, a 256-bit curve or X25519: 128); undefined when the group
 * is not one we know, which a judge must treat as unknown, never as strong.
 */
export type EphemeralGroup =
  | {
      family: 'DH';
      /** Length of the prime p in bits, as OpenSSL's "Server Temp Key: DH, N bits" counts it. */
      bits: number;
      /** A published group the prime is, e.g. "ffdhe2048" or "RFC 2409 group 2"; absent: the server's own prime. */
      knownAs?: string;
      /** The IANA group id when the server named it (TLS 1.3 key_share), e.g. 0x0100. */
      code?: number;
    }
  | {
      family: 'EC';
      /** IANA name, e.g. "secp256r1", "x25519"; "unassigned (0x1234)" when unknown. */
      name: string;
      /** Field size in bits (x25519: 255); undefined when the curve is unknown or explicit. */
      bits?: number;
      strengthBits?: number;
      code?: number;
    };

interface NamedGroup {
  code: number;
  name: string;
  family: 'DH' | 'EC';
  bits: number;
  strengthBits: number;
}

/** IANA TLS Supported Groups (RFC 8422, 7919, 8446, 8734), without the deprecated arbitrary-curve markers. */
const NAMED_GROUPS: readonly NamedGroup[] = [
  ec(0x0001, 'sect163k1', 163), ec(0x0002, 'sect163r1', 163), ec(0x0003, 'sect163r2', 163),
  ec(0x0004, 'sect193r1', 193), ec(0x0005, 'sect193r2', 193),
  ec(0x0006, 'sect233k1', 233), ec(0x0007, 'sect233r1', 233), ec(0x0008, 'sect239k1', 239),
  ec(0x0009, 'sect283k1', 283), ec(0x000a, 'sect283r1', 283),
  ec(0x000b, 'sect409k1', 409), ec(0x000c, 'sect409r1', 409),
  ec(0x000d, 'sect571k1', 571), ec(0x000e, 'sect571r1', 571),
  ec(0x000f, 'secp160k1', 160), ec(0x0010, 'secp160r1', 160), ec(0x0011, 'secp160r2', 160),
  ec(0x0012, 'secp192k1', 192), ec(0x0013, 'secp192r1', 192),
  ec(0x0014, 'secp224k1', 224), ec(0x0015, 'secp224r1', 224),
  ec(0x0016, 'secp256k1', 256), ec(0x0017, 'secp256r1', 256), ec(0x0018, 'secp384r1', 384), ec(0x0019, 'secp521r1', 521),
  ec(0x001a, 'brainpoolP256r1', 256), ec(0x001b, 'brainpoolP384r1', 384), ec(0x001c, 'brainpoolP512r1', 512),
  // RFC 7748: X25519 and X448 sit at the 128- and 224-bit levels, like 256- and 448-bit prime curves.
  { code: 0x001d, name: 'x25519', family: 'EC', bits: 255, strengthBits: 128 },
  { code: 0x001e, name: 'x448', family: 'EC', bits: 448, strengthBits: 224 },
  ec(0x001f, 'brainpoolP256r1tls13', 256), ec(0x0020, 'brainpoolP384r1tls13', 384), ec(0x0021, 'brainpoolP512r1tls13', 512),
  dh(0x0100, 'ffdhe2048', 2048, 112), dh(0x0101, 'ffdhe3072', 3072, 128), dh(0x0102, 'ffdhe4096', 4096, 152),
  dh(0x0103, 'ffdhe6144', 6144, 176), dh(0x0104, 'ffdhe8192', 8192, 200),
];

function ec(code: number, name: string, bits: number): NamedGroup {
  // A curve over an n-bit field resists attack for about n/2 bits of work (Pollard rho).
  return { code, name, family: 'EC', bits, strengthBits: Math.floor(bits / 2) };
}

function dh(code: number, name: string, bits: number, strengthBits: number): NamedGroup {
  return { code, name, family: 'DH', bits, strengthBits };
}

const BY_CODE = new Map(NAMED_GROUPS.map((group) => [group.code, group]));
const BY_NAME = new Map(NAMED_GROUPS.map((group) => [group.name, group]));

export function namedGroupCode(name: string): number {
  const group = BY_NAME.get(name);
  if (!group) throw new Error(`no named group "${name}"`);
  return group.code;
}

/** The group a server named by its IANA id (ServerKeyExchange named_curve, TLS 1.3 key_share). */
export function groupByCode(code: number): EphemeralGroup {
  const group = BY_CODE.get(code);
  if (!group) return { family: 'EC', name: `unassigned (0x${code.toString(16).padStart(4, '0')})`, code };
  if (group.family === 'DH') return { family: 'DH', bits: group.bits, knownAs: group.name, code };
  return { family: 'EC', name: group.name, bits: group.bits, strengthBits: group.strengthBits, code };
}

/** RFC 7919 ffdhe2048's prime, needed to send a real TLS 1.3 key share in that group. */
export const FFDHE2048_PRIME = Buffer.from(
  'FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617A' +
    'D3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797A' +
    'BC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61' +
    '9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA886B423861285C97FFFFFFFFFFFFFFFF',
  'hex',
);

/** SHA-256 of each RFC 7919 prime (big-endian, no leading zero), to recognise them in a ServerKeyExchange. */
const FFDHE_PRIME_SHA256: Record<string, string> = {
  '9cd3b7f336872f46c09428d1bbc19877a4d440512cda8d1c1cf0cd6e33698966': 'ffdhe2048',
  '0eaf67db3a839156d5013494a5318a772b5697d270d721f37f092efc69ea5a17': 'ffdhe3072',
  '4648414224ac881b3d0dc59b466f96d06a558278776807797ecf1f66ff397b3e': 'ffdhe4096',
  '227ac9066b3ddd9e193670cda2388fa884f65ba0cf98b742d1fe77a6687c79c7': 'ffdhe6144',
  '770b14efaf6f049929c523113b3fa99a8d11dab1b18af3609590122075d19833': 'ffdhe8192',
};

/** The MODP groups of RFC 2409 and 3526, as Node ships them: older servers' usual "own" groups. */
const MODP_GROUPS: ReadonlyArray<[nodeName: string, label: string]> = [
  ['modp1', 'RFC 2409 group 1'],
  ['modp2', 'RFC 2409 group 2'],
  ['modp5', 'RFC 3526 group 5'],
  ['modp14', 'RFC 3526 group 14'],
  ['modp15', 'RFC 3526 group 15'],
  ['modp16', 'RFC 3526 group 16'],
  ['modp17', 'RFC 3526 group 17'],
  ['modp18', 'RFC 3526 group 18'],
];

let modpBySha256: Map<string, string> | undefined;

function publishedGroupName(prime: Buffer): string | undefined {
  const digest = createHash('sha256').update(prime).digest('hex');
  const ffdhe = FFDHE_PRIME_SHA256[digest];
  if (ffdhe) return ffdhe;
  modpBySha256 ??= new Map(MODP_GROUPS.map(([nodeName, label]) => [createHash('sha256').update(getDiffieHellman(nodeName).getPrime()).digest('hex'), label]));
  return modpBySha256.get(digest);
}

/** A finite-field group from the prime a ServerKeyExchange carries (leading zero bytes allowed). */
export function dhGroupFromPrime(prime: Buffer): EphemeralGroup & { family: 'DH' } {
  let start = 0;
  while (start < prime.length && prime[start] === 0) start += 1;
  const significant = prime.subarray(start);
  const bits = significant.length === 0 ? 0 : (significant.length - 1) * 8 + (32 - Math.clz32(significant[0]));
  const knownAs = significant.length > 0 ? publishedGroupName(significant) : undefined;
  return { family: 'DH', bits, ...(knownAs ? { knownAs } : {}) };
}

/** NIST SP 800-57 Part 1 Table 2 for finite-field groups; undefined for a curve we cannot size. */
export function strengthOf(group: EphemeralGroup): number | undefined {
  if (group.family === 'EC') return group.strengthBits;
  if (group.bits >= 15360) return 256;
  if (group.bits >= 7680) return 192;
  if (group.bits >= 3072) return 128;
  if (group.bits >= 2048) return 112;
  if (group.bits >= 1024) return 80;
  return Math.floor(group.bits / 16);
}

/** As the report shows it: "DH 1024", "DH 2048 (ffdhe2048)", "secp256r1", "x25519". */
export function describeGroup(group: EphemeralGroup): string {
  if (group.family === 'DH') return `DH ${group.bits}${group.knownAs ? ` (${group.knownAs})` : ''}`;
  return group.name;
}
