import assert from 'node:assert/strict';
import { createDiffieHellman, createPublicKey, generateKeyPairSync, type KeyPairKeyObjectResult } from 'node:crypto';
import { describe, it } from 'node:test';
import { dhPublicValueOfSpki, finiteFieldPublicValue } from '../../src/tls/finite-field-public-value.js';
import { FFDHE2048_PRIME } from '../../src/tls/key-exchange-groups.js';

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  for (let b = base % modulus, e = exponent; e > 0n; e >>= 1n, b = (b * b) % modulus) if (e & 1n) result = (result * b) % modulus;
  return result;
}

describe('finiteFieldPublicValue', () => {
  const p = BigInt(`0x${FFDHE2048_PRIME.toString('hex')}`);

  it('makes a fresh ffdhe2048 public value the length of p, inside 1 < y < p-1 and in the prime-order subgroup (RFC 7919 §5.1)', () => {
    const first = finiteFieldPublicValue(FFDHE2048_PRIME);
    const second = finiteFieldPublicValue(FFDHE2048_PRIME);
    for (const value of [first, second]) {
      assert.equal(value.length, 256);
      const y = BigInt(`0x${value.toString('hex')}`);
      assert.ok(y > 1n && y < p - 1n);
      assert.equal(modPow(y, (p - 1n) / 2n, p), 1n, 'y^q = 1 mod p, with q = (p-1)/2');
    }
    assert.notDeepEqual(first, second, 'each call draws a new private exponent');
  });

  it('makes a value OpenSSL accepts as a peer key in that group', () => {
    const secret = createDiffieHellman(FFDHE2048_PRIME, 2);
    secret.generateKeys();
    assert.equal(secret.computeSecret(finiteFieldPublicValue(FFDHE2048_PRIME)).length > 0, true);
  });

  it('keeps the leading zeros a small value needs to fill the length of its prime', () => {
    // A real key's SPKI with its value replaced by y = 0x0100; OpenSSL takes it back as a DH key.
    const real = finiteFieldSpki();
    const algorithm = real.subarray(real[1]! & 0x80 ? 2 + (real[1]! & 0x7f) : 2);
    const algorithmLength = 2 + (algorithm[1]! & 0x80 ? (algorithm[1]! & 0x7f) + algorithm.readUIntBE(2, algorithm[1]! & 0x7f) : algorithm[1]!);
    const bitString = Buffer.from([0x03, 0x05, 0x00, 0x02, 0x02, 0x01, 0x00]);
    const body = Buffer.concat([algorithm.subarray(0, algorithmLength), bitString]);
    const spki = Buffer.concat([Buffer.from([0x30, 0x82, body.length >> 8, body.length & 0xff]), body]);
    assert.equal(createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyType, 'dh');
    const value = dhPublicValueOfSpki(spki, 256);
    assert.equal(value.length, 256);
    assert.deepEqual([...value.subarray(253)], [0, 1, 0]);
    assert.ok(value.subarray(0, 254).every((byte) => byte === 0));
  });

  it('refuses DER that is not a SubjectPublicKeyInfo or is cut short', () => {
    const real = finiteFieldSpki();
    assert.throws(() => dhPublicValueOfSpki(real.subarray(0, real.length - 10), 256), /truncated DER/);
    assert.throws(() => dhPublicValueOfSpki(Buffer.from([0x04, 0x01, 0x00]), 256), /unexpected DER tag/);
    assert.throws(() => dhPublicValueOfSpki(real, 8), /does not fit its prime/);
  });
});

function finiteFieldSpki(): Buffer {
  // @types/node has no overload for 'dh', which Node documents.
  const generate = generateKeyPairSync as unknown as (type: 'dh', options: object) => KeyPairKeyObjectResult;
  return generate('dh', { prime: FFDHE2048_PRIME, generator: 2 }).publicKey.export({ format: 'der', type: 'spki' });
}
