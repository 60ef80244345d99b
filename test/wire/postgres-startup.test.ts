import { FUZZ_RUNS } from '../support/fuzz-runs.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildStartupMessage, parseFirstReply } from '../../src/wire/postgres/startup.js';
import { PreTlsError } from '../../src/wire/pre-tls.js';

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};

describe('PostgreSQL startup', () => {
  it('builds a protocol 3.0 startup message with NUL-terminated pairs', () => {
    const bytes = buildStartupMessage({ user: 'app', database: 'db' });
    assert.equal(bytes.readInt32BE(0), bytes.length);
    assert.equal(bytes.readInt32BE(4), 196608);
    assert.equal(bytes.subarray(8).toString('latin1'), 'user\0app\0database\0db\0\0');
  });

  it('reads the authentication method the server asks for', () => {
    assert.deepEqual(parseFirstReply(message('R', int32(0))), { kind: 'authentication', request: { method: 'none' } });
    assert.deepEqual(parseFirstReply(message('R', int32(3))), { kind: 'authentication', request: { method: 'cleartext-password' } });
    assert.deepEqual(parseFirstReply(message('R', Buffer.concat([int32(5), Buffer.from([1, 2, 3, 4])]))), { kind: 'authentication', request: { method: 'md5' } });
    assert.deepEqual(parseFirstReply(message('R', Buffer.concat([int32(10), Buffer.from('SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0')]))), {
      kind: 'authentication',
      request: { method: 'sasl', mechanisms: ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256'] },
    });
  });

  it('reads a refusal with its SQLSTATE and message, after a protocol negotiation message', () => {
    const negotiate = message('v', Buffer.concat([int32(0), int32(0)]));
    const error = message('E', Buffer.from('SFATAL\0C28000\0Mno pg_hba.conf entry for host "127.0.0.1", no encryption\0\0'));
    assert.deepEqual(parseFirstReply(Buffer.concat([negotiate, error])), {
      kind: 'error',
      error: { severity: 'FATAL', code: '28000', message: 'no pg_hba.conf entry for host "127.0.0.1", no encryption' },
    });
  });

  it('waits for the rest of a split message and refuses absurd lengths at once', () => {
    const whole = message('R', int32(10));
    assert.equal(parseFirstReply(whole.subarray(0, 6)), undefined);
    const absurd = Buffer.from([0x52, 0x7f, 0xff, 0xff, 0xff]);
    assert.throws(() => parseFirstReply(absurd), PreTlsError);
  });

  it('turns arbitrary bytes into a reply, "need more", or a typed protocol error, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseFirstReply(Buffer.from(bytes));
        } catch (error) {
          assert.ok(error instanceof PreTlsError, `unexpected ${String(error)}`);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
