import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createECDH } from 'node:crypto';
import { buildClientHello } from '../../src/tls/client-hello.js';
import { TLS_VERSIONS } from '../../src/tls/versions.js';
import { parseClientHello } from './tls-records.js';

const SERVER_NAME = 0;
const SUPPORTED_GROUPS = 10;
const EC_POINT_FORMATS = 11;
const SIGNATURE_ALGORITHMS = 13;
const SUPPORTED_VERSIONS = 43;
const PSK_KEY_EXCHANGE_MODES = 45;
const KEY_SHARE = 51;
const RENEGOTIATION_INFO = 0xff01;

/** The shared secret with a fresh key; Node throws when the peer's point is not on the curve. */
function ecdhWith(curve: string, peerPublicKey: Buffer): Buffer {
  const ecdh = createECDH(curve);
  ecdh.generateKeys();
  return ecdh.computeSecret(peerPublicKey);
}

function groupsOf(data: Buffer): number[] {
  const groups = [];
  for (let offset = 2; offset < data.length; offset += 2) groups.push(data.readUInt16BE(offset));
  return groups;
}

describe('buildClientHello', () => {
  it('puts a TLS 1.2 hello in a 1.2 record, offering exactly the given suites', () => {
    const hello = parseClientHello(buildClientHello({ version: 'TLSv1.2', cipherSuites: [0xc02f, 0x0005, 0x000a], serverName: 'db.example.com' }));
    assert.equal(hello.recordVersion, 0x0303);
    assert.equal(hello.clientVersion, 0x0303);
    assert.deepEqual(hello.cipherSuites, [0xc02f, 0x0005, 0x000a]);
    assert.deepEqual(hello.compressionMethods, [0]);
    assert.equal(hello.sessionId.length, 0);
    assert.equal(hello.extensions.has(SUPPORTED_VERSIONS), false);
    assert.equal(hello.extensions.has(KEY_SHARE), false);
    assert.deepEqual([...hello.extensions.get(RENEGOTIATION_INFO)!], [0]);
    assert.deepEqual([...hello.extensions.get(EC_POINT_FORMATS)!], [1, 0]);
    const groups = groupsOf(hello.extensions.get(SUPPORTED_GROUPS)!);
    for (const group of [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101]) assert.ok(groups.includes(group), `group ${group}`);
    const schemes = groupsOf(hello.extensions.get(SIGNATURE_ALGORITHMS)!);
    for (const scheme of [0x0201, 0x0203, 0x0804, 0x0403, 0x0401]) assert.ok(schemes.includes(scheme), `scheme ${scheme}`);
    assert.equal(hello.extensions.get(SERVER_NAME)!.subarray(5).toString('ascii'), 'db.example.com');
  });

  for (const [version, wire] of [['TLSv1', 0x0301], ['TLSv1.1', 0x0302]] as const) {
    it(`uses ${wire.toString(16)} in record and hello for ${version} and leaves out signature_algorithms`, () => {
      const hello = parseClientHello(buildClientHello({ version, cipherSuites: [0x002f] }));
      assert.equal(hello.recordVersion, wire);
      assert.equal(hello.clientVersion, wire);
      assert.equal(hello.extensions.has(SIGNATURE_ALGORITHMS), false);
      assert.equal(hello.extensions.has(SUPPORTED_VERSIONS), false);
    });
  }

  it('announces TLS 1.3 through supported_versions with x25519, P-256, P-384 and ffdhe2048 key shares that are real public keys', () => {
    const hello = parseClientHello(buildClientHello({ version: 'TLSv1.3', cipherSuites: [0x1301, 0x1302], serverName: 'db.example.com' }));
    assert.equal(hello.recordVersion, 0x0301);
    assert.equal(hello.clientVersion, 0x0303);
    assert.equal(hello.sessionId.length, 32);
    assert.deepEqual([...hello.extensions.get(SUPPORTED_VERSIONS)!], [2, 0x03, 0x04]);
    const keyShare = hello.extensions.get(KEY_SHARE)!;
    assert.equal(keyShare.readUInt16BE(0), keyShare.length - 2);
    const entries = new Map<number, Buffer>();
    for (let offset = 2; offset < keyShare.length; ) {
      const length = keyShare.readUInt16BE(offset + 2);
      entries.set(keyShare.readUInt16BE(offset), keyShare.subarray(offset + 4, offset + 4 + length));
      offset += 4 + length;
    }
    assert.deepEqual([...entries.keys()], [0x001d, 0x0017, 0x0018, 0x0100]);
    assert.equal(entries.get(0x001d)!.length, 32);
    // A point must be on its curve: computing a shared secret with it throws otherwise.
    assert.equal(ecdhWith('prime256v1', entries.get(0x0017)!).length, 32);
    assert.equal(ecdhWith('secp384r1', entries.get(0x0018)!).length, 48);
    assert.equal(entries.get(0x0100)!.length, 256, 'ffdhe2048 values are padded to the length of p');
    const groups = groupsOf(hello.extensions.get(SUPPORTED_GROUPS)!);
    assert.deepEqual(groups, [0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104], 'only groups TLS 1.3 allows');
    assert.deepEqual([...hello.extensions.get(PSK_KEY_EXCHANGE_MODES)!], [1, 1]);
    assert.ok(hello.extensions.has(SIGNATURE_ALGORITHMS));
  });

  it('offers below TLS 1.3 strong groups first, the RFC 7919 groups, and small curves last', () => {
    const groups = groupsOf(parseClientHello(buildClientHello({ version: 'TLSv1.2', cipherSuites: [0x009e] })).extensions.get(SUPPORTED_GROUPS)!);
    assert.deepEqual(groups.slice(0, 2), [0x001d, 0x0017]);
    for (const ffdhe of [0x0100, 0x0101, 0x0102, 0x0103, 0x0104]) assert.ok(groups.includes(ffdhe), `ffdhe 0x${ffdhe.toString(16)}`);
    assert.ok(groups.indexOf(0x0015) > groups.indexOf(0x0104), 'secp224r1 after every group of 2048 bits or 256-bit curves');
    assert.ok(groups.includes(0x0013) && groups.includes(0x0001), 'secp192r1 and sect163k1 are offered so a server with only those still answers');
  });

  it('sends fresh randomness every time', () => {
    const first = buildClientHello({ version: 'TLSv1.3', cipherSuites: [0x1301] });
    const second = buildClientHello({ version: 'TLSv1.3', cipherSuites: [0x1301] });
    assert.notDeepEqual(first.subarray(11, 43), second.subarray(11, 43));
  });

  it('sends SNI only for DNS names', () => {
    for (const address of ['127.0.0.1', '::1', '2001:db8::5']) {
      assert.equal(parseClientHello(buildClientHello({ version: 'TLSv1.2', cipherSuites: [0x002f], serverName: address })).extensions.has(SERVER_NAME), false);
    }
    assert.equal(parseClientHello(buildClientHello({ version: 'TLSv1.2', cipherSuites: [0x002f] })).extensions.has(SERVER_NAME), false);
    const sni = (name: string) =>
      parseClientHello(buildClientHello({ version: 'TLSv1.2', cipherSuites: [0x002f], serverName: name })).extensions.get(SERVER_NAME)!.subarray(5).toString('ascii');
    assert.equal(sni('db.example.com.'), 'db.example.com');
    assert.equal(sni('bücher.example'), 'xn--bcher-kva.example');
  });

  it('refuses to build a hello that does not fit one record', () => {
    assert.throws(() => buildClientHello({ version: 'TLSv1.2', cipherSuites: Array.from({ length: 8200 }, (_, i) => i) }), /does not fit one record/);
  });

  it('stays well-formed for any suite list and version', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TLS_VERSIONS), fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 150 }), fc.domain(), (version, suites, name) => {
        const hello = parseClientHello(buildClientHello({ version, cipherSuites: suites, serverName: name }));
        assert.deepEqual(hello.cipherSuites, suites);
        assert.equal(new Set(hello.extensionOrder).size, hello.extensionOrder.length);
      }),
    );
  });
});
