import { FUZZ_RUNS } from '../support/fuzz-runs.js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { getDiffieHellman } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseServerKeyExchange } from '../../src/tls/server-key-exchange.js';
import { dhGroupFromPrime, FFDHE2048_PRIME, groupByCode } from '../../src/tls/key-exchange-groups.js';
import { TlsProtocolError } from '../../src/tls/tls-protocol-error.js';
import { dheServerKeyExchange, ecdheServerKeyExchange } from './tls-records.js';

/** The RFC 7919 prime as this machine's OpenSSL knows it: an oracle independent of our table. */
function opensslFfdhePrime(bits: number): Buffer {
  const pem = execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', `group:ffdhe${bits}`]);
  const asn1 = execFileSync('openssl', ['asn1parse'], { input: pem, encoding: 'utf8' });
  const hex = /INTEGER\s+:([0-9A-F]+)/.exec(asn1)?.[1];
  assert.ok(hex, `no prime in openssl's ffdhe${bits}`);
  return Buffer.from(hex, 'hex');
}

describe('parseServerKeyExchange', () => {
  it('sizes a DHE group by its prime and tells the server\'s own prime from a published one', () => {
    const own = Buffer.concat([Buffer.from([0xdb]), Buffer.alloc(127, 0x11)]);
    assert.deepEqual(parseServerKeyExchange(dheServerKeyExchange(own), 'DH'), { family: 'DH', bits: 1024 });
    assert.deepEqual(parseServerKeyExchange(dheServerKeyExchange(FFDHE2048_PRIME), 'DH'), { family: 'DH', bits: 2048, knownAs: 'ffdhe2048' });
    assert.deepEqual(parseServerKeyExchange(dheServerKeyExchange(getDiffieHellman('modp2').getPrime()), 'DH'), { family: 'DH', bits: 1024, knownAs: 'RFC 2409 group 2' });
  });

  it('counts bits as OpenSSL does: leading zero bytes and zero bits do not count', () => {
    assert.equal(dhGroupFromPrime(Buffer.concat([Buffer.alloc(3), Buffer.from([0x01]), Buffer.alloc(127, 0xff)])).bits, 1017);
    assert.equal(dhGroupFromPrime(Buffer.from([0x80, 0])).bits, 16);
  });

  for (const bits of [2048, 3072, 4096, 6144, 8192]) {
    it(`recognises OpenSSL's ffdhe${bits} prime`, () => {
      assert.deepEqual(dhGroupFromPrime(opensslFfdhePrime(bits)), { family: 'DH', bits, knownAs: `ffdhe${bits}` });
    });
  }

  it('names curves with their size', () => {
    assert.deepEqual(parseServerKeyExchange(ecdheServerKeyExchange(0x0017), 'ECDH'), groupByCode(0x0017));
    assert.deepEqual(groupByCode(0x0017), { family: 'EC', name: 'secp256r1', bits: 256, strengthBits: 128, code: 0x0017 });
    assert.deepEqual(groupByCode(0x001d), { family: 'EC', name: 'x25519', bits: 255, strengthBits: 128, code: 0x001d });
    assert.deepEqual(groupByCode(0x0015), { family: 'EC', name: 'secp224r1', bits: 224, strengthBits: 112, code: 0x0015 });
    assert.deepEqual(parseServerKeyExchange(ecdheServerKeyExchange(0x7777), 'ECDH'), { family: 'EC', name: 'unassigned (0x7777)', code: 0x7777 });
  });

  it('sizes an explicit prime curve by its prime', () => {
    const body = Buffer.concat([Buffer.from([1, 24]), Buffer.alloc(24, 0xff), Buffer.alloc(20, 1)]);
    assert.deepEqual(parseServerKeyExchange(body, 'ECDH'), { family: 'EC', name: 'explicit prime curve (192 bits)', bits: 192, strengthBits: 96 });
  });

  const malformed: Array<[string, Buffer, 'DH' | 'ECDH']> = [
    ['an empty body', Buffer.alloc(0), 'DH'],
    ['a DH prime overrunning the body', Buffer.from([0x01, 0x00, 0xff]), 'DH'],
    ['an empty DH prime', Buffer.from([0, 0, 0, 1, 2, 0, 1, 5]), 'DH'],
    ['a prime of zeros', Buffer.from([0, 2, 0, 0, 0, 1, 2, 0, 1, 5]), 'DH'],
    ['a missing dh_Ys', Buffer.from([0, 1, 0xfb, 0, 1, 2]), 'DH'],
    ['curve type 4', Buffer.from([4, 0, 23]), 'ECDH'],
    ['a named curve cut short', Buffer.from([3, 0]), 'ECDH'],
    ['an empty point', Buffer.from([3, 0, 23, 0]), 'ECDH'],
    ['a point overrunning the body', Buffer.from([3, 0, 23, 65, 4]), 'ECDH'],
  ];
  for (const [description, body, kind] of malformed) {
    it(`rejects ${description}`, () => assert.throws(() => parseServerKeyExchange(body, kind), TlsProtocolError));
  }

  it('never throws anything but TlsProtocolError, on arbitrary bytes or mutated real bodies', () => {
    const seeds = [dheServerKeyExchange(FFDHE2048_PRIME), ecdheServerKeyExchange(0x0017), ecdheServerKeyExchange(0x001d, Buffer.alloc(32, 1))];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
          fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat()).map(([seed, edits, cut]) => {
            const bytes = Buffer.from(seed);
            for (const [position, value] of edits) bytes[position % bytes.length] = value;
            return bytes.subarray(0, cut % (bytes.length + 1));
          }),
        ),
        fc.constantFrom('DH' as const, 'ECDH' as const),
        (body, kind) => {
          try {
            const group = parseServerKeyExchange(body, kind);
            assert.ok(group.family === 'DH' ? group.bits > 0 : group.name.length > 0);
          } catch (error) {
            if (!(error instanceof TlsProtocolError)) throw error;
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
