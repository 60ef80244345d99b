import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';

/** The order of the ed25519 base point. */
const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

const sha512 = (...parts: Uint8Array[]) => {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const littleEndianToBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).reverse().toString('hex') || '0'}`);

function bigIntToLittleEndian32(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex').reverse();
}

/** MariaDB hashes the whole password where standard ed25519 hashes a 32-byte seed. */
function passwordKey(password: string): { secretScalar: bigint; noncePrefix: Buffer; publicKey: Uint8Array } {
  const expanded = sha512(Buffer.from(password, 'utf8'));
  const clamped = Buffer.from(expanded.subarray(0, 32));
  clamped[0] &= 248;
  clamped[31] &= 63;
  clamped[31] |= 64;
  const secretScalar = littleEndianToBigInt(clamped) % GROUP_ORDER;
  return { secretScalar, noncePrefix: expanded.subarray(32), publicKey: ed25519.Point.BASE.multiply(secretScalar).toBytes() };
}

/**
 * MariaDB's client_ed25519 answer: an ed25519 signature of the server's scramble, with the
 * password itself (any length) in place of the usual 32-byte seed, as MariaDB's ref10 code does.
 * Standard libraries only take 32-byte seeds, so the signing steps are spelled out here on
 * noble's curve arithmetic.
 */
export function mariaDbEd25519Signature(scramble: Uint8Array, password: string): Buffer {
  const { secretScalar, noncePrefix, publicKey } = passwordKey(password);
  const nonce = littleEndianToBigInt(sha512(noncePrefix, scramble)) % GROUP_ORDER;
  const commitment = ed25519.Point.BASE.multiply(nonce).toBytes();
  const challenge = littleEndianToBigInt(sha512(commitment, publicKey, scramble)) % GROUP_ORDER;
  const proof = (nonce + challenge * secretScalar) % GROUP_ORDER;
  return Buffer.concat([commitment, bigIntToLittleEndian32(proof)]);
}

/** The value MariaDB stores for an ed25519 account (the public key, base64 without padding). */
export function mariaDbEd25519PublicKey(password: string): string {
  return Buffer.from(passwordKey(password).publicKey).toString('base64').replace(/=+$/, '');
}
