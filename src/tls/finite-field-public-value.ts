import { generateKeyPairSync, type KeyPairKeyObjectResult } from 'node:crypto';

// Node documents key generation of type 'dh' with a prime and generator; @types/node has no overload for it.
const generateDhKeyPair = generateKeyPairSync as unknown as (type: 'dh', options: { prime: Buffer; generator: number }) => KeyPairKeyObjectResult;

/**
 * A real public value g^x mod p in a finite-field group, as a TLS 1.3 key share carries it
 * (RFC 8446 §4.2.8.1: big-endian, left-padded with zeros to the length of the prime).
 *
 * Made by OpenSSL's key generation rather than by createDiffieHellman(prime, g): that constructor
 * tests the prime for safety, which under Node 24's OpenSSL 3.5 costs 0.3-0.4 s of CPU, paid on
 * every run that sends a TLS 1.3 ClientHello (measured; Node 20 and 22 pay about 1 ms).
 */
export function finiteFieldPublicValue(prime: Buffer, generator = 2): Buffer {
  const spki = generateDhKeyPair('dh', { prime, generator }).publicKey.export({ format: 'der', type: 'spki' });
  return dhPublicValueOfSpki(spki, prime.length);
}

/** The public value y of a DER SubjectPublicKeyInfo of a DH key, left-padded to `primeLength` bytes. */
export function dhPublicValueOfSpki(spki: Buffer, primeLength: number): Buffer {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING },
  // and the BIT STRING (after its unused-bits byte) holds DHPublicKey ::= INTEGER (RFC 3279 §2.3.3).
  const outer = derElement(spki, 0, SEQUENCE);
  const algorithm = derElement(spki, outer.contentStart, SEQUENCE);
  const bitString = derElement(spki, algorithm.end, BIT_STRING);
  const integer = derElement(spki, bitString.contentStart + 1, INTEGER);
  let value = spki.subarray(integer.contentStart, integer.end);
  while (value.length > 0 && value[0] === 0) value = value.subarray(1);
  if (value.length === 0 || value.length > primeLength) throw new Error('the DH public value does not fit its prime');
  return Buffer.concat([Buffer.alloc(primeLength - value.length), value]);
}

const SEQUENCE = 0x30;
const BIT_STRING = 0x03;
const INTEGER = 0x02;

interface DerElement {
  contentStart: number;
  end: number;
}

/** One DER element at `offset` with the expected tag (definite lengths only, as DER requires). */
function derElement(der: Buffer, offset: number, tag: number): DerElement {
  if (der[offset] !== tag) throw new Error(`unexpected DER tag 0x${(der[offset] ?? 0).toString(16)} at ${offset}`);
  const first = der[offset + 1];
  if (first === undefined) throw new Error('truncated DER');
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const lengthBytes = first & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let index = 0; index < lengthBytes; index += 1) length = length * 256 + (der[contentStart + index] ?? 0);
    contentStart += lengthBytes;
  }
  const end = contentStart + length;
  if (end > der.length) throw new Error('truncated DER');
  return { contentStart, end };
}
