import { FUZZ_RUNS } from '../support/fuzz-runs.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseServerAnswer, TlsProtocolError } from '../../src/tls/server-hello.js';
import { alertRecord, dheServerKeyExchange, ecdheServerKeyExchange, handshakeMessage, HELLO_RETRY_RANDOM, intoRecords, record, serverFlight, serverHelloBody, serverHelloRecord } from './tls-records.js';

const CERTIFICATE = 11;

function parseOrError(bytes: Buffer): unknown {
  try {
    return parseServerAnswer(bytes);
  } catch (error) {
    if (error instanceof TlsProtocolError) return error;
    throw error;
  }
}

describe('parseServerAnswer', () => {
  it('reads version and suite of a TLS 1.2 ServerHello', () => {
    assert.deepEqual(parseServerAnswer(serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0xc02f, extensions: [[0xff01, Buffer.from([0])]] })), {
      kind: 'server-hello',
      version: 0x0303,
      cipherSuite: 0xc02f,
      helloRetryRequest: false,
    });
  });

  it('takes the TLS 1.3 version from supported_versions', () => {
    const answer = parseServerAnswer(serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x1302, selectedVersion: 0x0304, sessionId: Buffer.alloc(32, 7) }));
    assert.deepEqual(answer, { kind: 'server-hello', version: 0x0304, cipherSuite: 0x1302, helloRetryRequest: false });
  });

  it('recognises a HelloRetryRequest and still reports the chosen suite', () => {
    const answer = parseServerAnswer(serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x1303, selectedVersion: 0x0304, random: HELLO_RETRY_RANDOM }));
    assert.deepEqual(answer, { kind: 'server-hello', version: 0x0304, cipherSuite: 0x1303, helloRetryRequest: true });
  });

  it('accepts a TLS 1.0 ServerHello without an extensions block', () => {
    const answer = parseServerAnswer(record(22, 0x0301, handshakeMessage(2, serverHelloBody({ legacyVersion: 0x0301, cipherSuite: 0x0005, noExtensionsBlock: true }))));
    assert.deepEqual(answer, { kind: 'server-hello', version: 0x0301, cipherSuite: 0x0005, helloRetryRequest: false });
  });

  it('answers as soon as the ServerHello is complete, whatever follows in the record', () => {
    const flight = Buffer.concat([handshakeMessage(2, serverHelloBody({ legacyVersion: 0x0303, cipherSuite: 0x009c })), handshakeMessage(CERTIFICATE, Buffer.alloc(3000, 1))]);
    assert.equal((parseServerAnswer(record(22, 0x0303, flight)) as { cipherSuite: number }).cipherSuite, 0x009c);
    const withoutRestOfCertificate = record(22, 0x0303, flight).subarray(0, 200);
    assert.equal(parseServerAnswer(withoutRestOfCertificate), undefined, 'the record itself is incomplete');
  });

  it('reassembles a ServerHello fragmented over several records', () => {
    const message = handshakeMessage(2, serverHelloBody({ legacyVersion: 0x0303, cipherSuite: 0xc030, selectedVersion: 0x0303 }));
    const fragmented = Buffer.concat([record(22, 0x0303, message.subarray(0, 3)), record(22, 0x0303, message.subarray(3, 20)), record(22, 0x0303, message.subarray(20))]);
    assert.equal((parseServerAnswer(fragmented) as { cipherSuite: number }).cipherSuite, 0xc030);
  });

  it('waits for more bytes at every split point and answers once all have arrived', () => {
    const bytes = serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0xc02b, selectedVersion: 0x0304 });
    for (let end = 0; end < bytes.length; end += 1) assert.equal(parseServerAnswer(bytes.subarray(0, end)), undefined, `prefix of ${end}`);
    assert.equal((parseServerAnswer(bytes) as { cipherSuite: number }).cipherSuite, 0xc02b);
  });

  it('names alerts', () => {
    assert.deepEqual(parseServerAnswer(alertRecord(2, 40)), { kind: 'alert', level: 'fatal', code: 40, name: 'handshake_failure' });
    assert.deepEqual(parseServerAnswer(alertRecord(2, 70)), { kind: 'alert', level: 'fatal', code: 70, name: 'protocol_version' });
    assert.deepEqual(parseServerAnswer(alertRecord(2, 71)), { kind: 'alert', level: 'fatal', code: 71, name: 'insufficient_security' });
    assert.deepEqual(parseServerAnswer(alertRecord(2, 86)), { kind: 'alert', level: 'fatal', code: 86, name: 'inappropriate_fallback' });
    assert.deepEqual(parseServerAnswer(alertRecord(1, 0)), { kind: 'alert', level: 'warning', code: 0, name: 'close_notify' });
    assert.deepEqual(parseServerAnswer(alertRecord(2, 200)), { kind: 'alert', level: 'fatal', code: 200, name: 'unassigned' });
  });

  it('reads past an unrecognized_name warning to the ServerHello, but not past a fatal one', () => {
    const hello = serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x002f });
    assert.equal((parseServerAnswer(Buffer.concat([alertRecord(1, 112), hello])) as { kind: string }).kind, 'server-hello');
    assert.equal(parseServerAnswer(alertRecord(1, 112)), undefined);
    assert.deepEqual(parseServerAnswer(Buffer.concat([alertRecord(2, 112), hello])), { kind: 'alert', level: 'fatal', code: 112, name: 'unrecognized_name' });
  });

  const garbage: Array<[string, Buffer]> = [
    ['an HTTP answer', Buffer.from('HTTP/1.1 400 Bad Request\r\n')],
    ['a PostgreSQL error message', Buffer.from('E\0\0\0\x10SFATAL\0')],
    ['an SSLv2-style first byte', Buffer.from([0x80, 0x2e, 0x04])],
    ['application data before the handshake', record(23, 0x0303, Buffer.alloc(10))],
    ['a record major version of 2', Buffer.from([22, 2, 0])],
    ['an empty record', Buffer.from([22, 3, 3, 0, 0])],
    ['an oversized record', Buffer.from([22, 3, 3, 0xff, 0xff])],
    ['a Certificate before the ServerHello', record(22, 0x0303, handshakeMessage(CERTIFICATE, Buffer.alloc(10)))],
    ['a three-byte alert', record(21, 0x0303, Buffer.from([2, 40, 0]))],
    ['an alert of level 3', alertRecord(3, 40)],
    ['a ServerHello cut inside its fields', record(22, 0x0303, handshakeMessage(2, Buffer.from([3, 3, 1])))],
    ['a ServerHello whose session id overruns it', record(22, 0x0303, handshakeMessage(2, Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32), Buffer.from([200])])))],
    ['a four-byte supported_versions', serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 1, extensions: [[43, Buffer.from([3, 4, 3, 3])]] })],
    ['trailing bytes after the extensions', record(22, 0x0303, handshakeMessage(2, Buffer.concat([serverHelloBody({ legacyVersion: 0x0303, cipherSuite: 1 }), Buffer.from([9])])))],
    ['a ServerHello claiming 1 MiB', record(22, 0x0303, Buffer.from([2, 0x10, 0, 0]))],
  ];
  for (const [description, bytes] of garbage) {
    it(`rejects ${description} as a protocol error`, () => {
      assert.throws(() => parseServerAnswer(bytes), TlsProtocolError);
    });
  }

  it('never throws anything but TlsProtocolError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const result = parseOrError(Buffer.from(bytes));
        assert.ok(result === undefined || result instanceof TlsProtocolError || (result as { kind: string }).kind !== undefined);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('never throws anything but TlsProtocolError on mutated ServerHellos and alerts', () => {
    const seeds = [
      serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x1301, selectedVersion: 0x0304, sessionId: Buffer.alloc(32, 1), extensions: [[51, Buffer.alloc(36, 2)]] }),
      Buffer.concat([alertRecord(1, 112), serverHelloRecord({ legacyVersion: 0x0301, cipherSuite: 0x0004 })]),
      alertRecord(2, 40),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(), (seed, edits, cut) => {
        const bytes = Buffer.from(seed);
        for (const [position, value] of edits) bytes[position % bytes.length] = value;
        parseOrError(bytes.subarray(0, cut % (bytes.length + 1)));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('round-trips any well-formed ServerHello, however it is fragmented into records', () => {
    fc.assert(
      fc.property(
        fc.record({
          legacyVersion: fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0303),
          cipherSuite: fc.integer({ min: 0, max: 0xffff }),
          selectedVersion: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
          sessionId: fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes)),
          extensions: fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }).filter((type) => type !== 43), fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes))), { maxLength: 4 }),
        }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 10 }),
        (fields, fragmentSizes) => {
          const message = handshakeMessage(2, serverHelloBody(fields));
          const records: Buffer[] = [];
          for (let offset = 0, i = 0; offset < message.length; i += 1) {
            const size = fragmentSizes[i % fragmentSizes.length];
            records.push(record(22, 0x0303, message.subarray(offset, offset + size)));
            offset += size;
          }
          assert.deepEqual(parseServerAnswer(Buffer.concat(records)), {
            kind: 'server-hello',
            version: fields.selectedVersion ?? fields.legacyVersion,
            cipherSuite: fields.cipherSuite,
            helloRetryRequest: false,
          });
        },
      ),
    );
  });
});

describe('parseServerAnswer reading on to the ServerKeyExchange', () => {
  const DH_1024 = Buffer.concat([Buffer.from([0xdb]), Buffer.alloc(127, 0x35)]);
  const readDh = { keyExchangeOf: () => 'DH' as const };
  const readEcdh = { keyExchangeOf: () => 'ECDH' as const };
  const dheFlight = serverFlight({ legacyVersion: 0x0303, cipherSuite: 0x009f }, dheServerKeyExchange(DH_1024));

  it('reads the DH group of a DHE suite from the same flight', () => {
    const answer = parseServerAnswer(record(22, 0x0303, dheFlight), readDh);
    assert.deepEqual(answer, { kind: 'server-hello', version: 0x0303, cipherSuite: 0x009f, helloRetryRequest: false, keyExchange: { kind: 'read', group: { family: 'DH', bits: 1024 } } });
  });

  it('reads the curve of an ECDHE suite, and asks keyExchangeOf with the negotiated version and suite', () => {
    const asked: unknown[] = [];
    const flight = serverFlight({ legacyVersion: 0x0303, cipherSuite: 0xc030 }, ecdheServerKeyExchange(0x0017));
    const answer = parseServerAnswer(record(22, 0x0303, flight), { keyExchangeOf: (hello) => (asked.push({ ...hello }), 'ECDH') });
    assert.equal(answer?.kind === 'server-hello' && answer.keyExchange?.kind === 'read' && answer.keyExchange.group.family === 'EC' && answer.keyExchange.group.name, 'secp256r1');
    assert.equal((asked[0] as { cipherSuite: number }).cipherSuite, 0xc030);
  });

  it('stops at the ServerHello when keyExchangeOf names no key exchange', () => {
    const answer = parseServerAnswer(intoRecords(dheFlight, [60, 3000]).subarray(0, 70), { keyExchangeOf: () => undefined });
    assert.deepEqual(answer, { kind: 'server-hello', version: 0x0303, cipherSuite: 0x009f, helloRetryRequest: false });
  });

  it('goes from nothing to pending to read as the flight arrives, byte by byte', () => {
    const bytes = intoRecords(dheFlight, [300, 7, 1000, 2]);
    const states: string[] = [];
    for (let end = 0; end <= bytes.length; end += 1) {
      const answer = parseServerAnswer(bytes.subarray(0, end), readDh);
      const state = answer === undefined ? 'nothing' : answer.kind === 'server-hello' ? (answer.keyExchange?.kind ?? 'no key exchange') : answer.kind;
      if (states.at(-1) !== state) states.push(state);
    }
    assert.deepEqual(states, ['nothing', 'pending', 'read']);
  });

  it('round-trips the group however the flight is fragmented into records', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 5000 }), (sizes, certificateBytes) => {
        const flight = serverFlight({ legacyVersion: 0x0303, cipherSuite: 0xc02f }, ecdheServerKeyExchange(0x001d, Buffer.alloc(32, 3)), certificateBytes);
        const answer = parseServerAnswer(intoRecords(flight, sizes), readEcdh);
        assert.deepEqual(answer?.kind === 'server-hello' && answer.keyExchange, { kind: 'read', group: { family: 'EC', name: 'x25519', bits: 255, strengthBits: 128, code: 0x001d } });
      }),
    );
  });

  const unreadable: Array<[string, Buffer, RegExp]> = [
    ['ServerHelloDone without a ServerKeyExchange', record(22, 0x0303, serverFlight({ legacyVersion: 0x0303, cipherSuite: 0x009f }, undefined)), /ServerHelloDone without a ServerKeyExchange/],
    ['an alert after the ServerHello', Buffer.concat([serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x009f }), alertRecord(2, 80)]), /alert 80 \(internal_error\) after its ServerHello/],
    ['application data after the ServerHello', Buffer.concat([serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x009f }), record(23, 0x0303, Buffer.alloc(4))]), /after the ServerHello: expected a TLS handshake or alert record/],
    ['a malformed ServerKeyExchange', record(22, 0x0303, serverFlight({ legacyVersion: 0x0303, cipherSuite: 0x009f }, Buffer.from([0, 9, 1]))), /after the ServerHello: ServerKeyExchange ends inside dh_p/],
    ['a message claiming 1 MiB after the ServerHello', Buffer.concat([serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x009f }), record(22, 0x0303, Buffer.from([11, 0x10, 0, 0]))]), /claims 1048576 bytes/],
  ];
  for (const [description, bytes, reason] of unreadable) {
    it(`keeps the accepted suite but marks the group unreadable on ${description}`, () => {
      const answer = parseServerAnswer(bytes, readDh);
      assert.equal(answer?.kind, 'server-hello');
      assert.equal((answer as { cipherSuite: number }).cipherSuite, 0x009f);
      const keyExchange = (answer as { keyExchange: { kind: string; reason: string } }).keyExchange;
      assert.equal(keyExchange.kind, 'unreadable');
      assert.match(keyExchange.reason, reason);
    });
  }

  it('reads the TLS 1.3 group from key_share, and the wanted group from a HelloRetryRequest', () => {
    const keyShare = Buffer.concat([Buffer.from([0x00, 0x17, 0x00, 0x41]), Buffer.alloc(65, 4)]);
    assert.equal((parseServerAnswer(serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x1301, selectedVersion: 0x0304, extensions: [[51, keyShare]] })) as { keyShareGroup: number }).keyShareGroup, 0x0017);
    const retry = serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x1301, selectedVersion: 0x0304, random: HELLO_RETRY_RANDOM, extensions: [[51, Buffer.from([0x01, 0x00])]] });
    assert.deepEqual(parseServerAnswer(retry), { kind: 'server-hello', version: 0x0304, cipherSuite: 0x1301, helloRetryRequest: true, keyShareGroup: 0x0100 });
    assert.throws(() => parseServerAnswer(serverHelloRecord({ legacyVersion: 0x0303, cipherSuite: 0x1301, selectedVersion: 0x0304, extensions: [[51, Buffer.from([0, 0x17, 0, 9, 1])]] })), TlsProtocolError);
  });

  it('never throws anything but TlsProtocolError on mutated flights, and nothing at all once a ServerHello is complete', () => {
    const seeds = [
      record(22, 0x0303, dheFlight),
      intoRecords(serverFlight({ legacyVersion: 0x0303, cipherSuite: 0xc02f }, ecdheServerKeyExchange(0x0017), 300), [100, 50]),
      Buffer.concat([serverHelloRecord({ legacyVersion: 0x0301, cipherSuite: 0x0039 }), record(22, 0x0301, handshakeMessage(12, dheServerKeyExchange(DH_1024)))]),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(), fc.constantFrom(readDh, readEcdh), (seed, edits, cut, options) => {
        const bytes = Buffer.from(seed);
        for (const [position, value] of edits) bytes[position % bytes.length] = value;
        const prefix = bytes.subarray(0, cut % (bytes.length + 1));
        let result: unknown;
        try {
          result = parseServerAnswer(prefix, options);
        } catch (error) {
          if (!(error instanceof TlsProtocolError)) throw error;
          return;
        }
        // Whatever more arrives, an answer once complete stays an answer: it never turns into a throw.
        if (result !== undefined) assert.doesNotThrow(() => parseServerAnswer(Buffer.concat([prefix, Buffer.from([99, 99, 99, 99, 99, 99])]), options));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
