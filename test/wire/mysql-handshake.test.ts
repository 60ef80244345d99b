import { FUZZ_RUNS } from '../support/fuzz-runs.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseInitialHandshake } from '../../src/wire/mysql/handshake.js';
import { MAX_GREETING_LENGTH, parsePacketHeader } from '../../src/wire/mysql/packet.js';
import { PreTlsError } from '../../src/wire/pre-tls.js';
import { MYSQL8_CAPABILITIES, mysqlGreetingPayload } from '../tls/test-servers.js';

/** Captured from mariadbd 10.11.19 (Debian 12) started with --ssl-cert/--ssl-key; the 4-byte packet header is cut off. */
const MARIADB_10_11_GREETING = Buffer.from(
  '0a352e352e352d31302e31312e31392d4d6172696144422d302b6465623132753100cb00000052705e67695a656e00feff080200ff81150000000000001d0000007938453473662937766d4448006d7973716c5f6e61746976655f70617373776f726400',
  'hex',
);

function parseOrFailure(payload: Buffer) {
  try {
    return parseInitialHandshake(payload);
  } catch (error) {
    if (error instanceof PreTlsError && error.failure.kind === 'protocol-error') return error;
    throw error;
  }
}

describe('parseInitialHandshake', () => {
  it('reads a real MariaDB 10.11 greeting', () => {
    assert.deepEqual(parseInitialHandshake(MARIADB_10_11_GREETING), {
      kind: 'greeting',
      protocolVersion: 10,
      serverVersion: '5.5.5-10.11.19-MariaDB-0+deb12u1',
      connectionId: 203,
      capabilities: 0x81fffffe,
      characterSet: 8,
      statusFlags: 2,
      authPlugin: 'mysql_native_password',
    });
  });

  it('reads a MySQL 8 greeting', () => {
    const greeting = parseInitialHandshake(mysqlGreetingPayload({ serverVersion: '8.0.36', connectionId: 99 }));
    assert.equal(greeting.kind, 'greeting');
    assert.equal(greeting.kind === 'greeting' && greeting.capabilities, MYSQL8_CAPABILITIES);
    assert.equal(greeting.kind === 'greeting' && greeting.authPlugin, 'caching_sha2_password');
    assert.equal(greeting.kind === 'greeting' && greeting.connectionId, 99);
  });

  it('reads a plugin name without its NUL, as MySQL 5.5.7-5.5.9 sent it', () => {
    const payload = mysqlGreetingPayload({ authPlugin: 'mysql_native_password' });
    const greeting = parseInitialHandshake(payload.subarray(0, payload.length - 1));
    assert.equal(greeting.kind === 'greeting' && greeting.authPlugin, 'mysql_native_password');
  });

  it('accepts the short pre-4.1 form that ends after the lower capability flags', () => {
    const greeting = parseInitialHandshake(mysqlGreetingPayload({ capabilities: 0x0800 }).subarray(0, 1 + 7 + 4 + 9 + 2));
    assert.deepEqual(greeting, { kind: 'greeting', protocolVersion: 10, serverVersion: '8.0.36', connectionId: 7, capabilities: 0x0800, authPlugin: '' });
  });

  it('returns an ERR packet with its code, SQLSTATE and message', () => {
    const message = "Host '10.0.0.8' is not allowed to connect to this MySQL server";
    assert.deepEqual(parseInitialHandshake(Buffer.concat([Buffer.from([0xff, 0x6a, 0x04]), Buffer.from(message)])), { kind: 'error', code: 1130, sqlState: undefined, message });
    assert.deepEqual(parseInitialHandshake(Buffer.concat([Buffer.from([0xff, 0x10, 0x04]), Buffer.from('#08004Too many connections')])), {
      kind: 'error',
      code: 1040,
      sqlState: '08004',
      message: 'Too many connections',
    });
  });

  it('rejects other protocol versions and truncated fields as protocol errors', () => {
    assert.match((parseOrFailure(Buffer.from([9, 0x33, 0])) as PreTlsError).message, /protocol version 9/);
    assert.match((parseOrFailure(Buffer.from([0xff, 0x01])) as PreTlsError).message, /error code/);
    assert.match((parseOrFailure(Buffer.from('0a352e35', 'hex')) as PreTlsError).message, /server version/);
    assert.ok(parseOrFailure(Buffer.alloc(0)) instanceof PreTlsError);
  });

  it('either parses or fails typed on every prefix of a real greeting', () => {
    for (let end = 0; end <= MARIADB_10_11_GREETING.length; end += 1) parseOrFailure(MARIADB_10_11_GREETING.subarray(0, end));
  });

  it('never throws anything but a protocol-error PreTlsError on arbitrary or mutated bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void parseOrFailure(Buffer.from(bytes))), { numRuns: FUZZ_RUNS });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const bytes = Buffer.from(MARIADB_10_11_GREETING);
        for (const [position, value] of edits) bytes[position % bytes.length] = value;
        parseOrFailure(bytes);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('parsePacketHeader', () => {
  it('reads the little-endian length and the sequence id', () => {
    assert.deepEqual(parsePacketHeader(Buffer.from([0x64, 0x00, 0x00, 0x00]), MAX_GREETING_LENGTH), { payloadLength: 100, sequenceId: 0 });
  });

  it('refuses empty and oversized packets instead of allocating for them', () => {
    assert.throws(() => parsePacketHeader(Buffer.from([0, 0, 0, 0]), MAX_GREETING_LENGTH), PreTlsError);
    assert.throws(() => parsePacketHeader(Buffer.from([0xff, 0xff, 0xff, 0]), MAX_GREETING_LENGTH), /16777215 bytes/);
    assert.throws(() => parsePacketHeader(Buffer.from([1, 0, 1, 0]), MAX_GREETING_LENGTH), PreTlsError);
    assert.throws(() => parsePacketHeader(Buffer.from([1, 0, 0]), MAX_GREETING_LENGTH), /4 bytes/);
  });
});
