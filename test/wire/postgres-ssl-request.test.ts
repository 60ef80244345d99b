import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpretSslResponse, SSL_REQUEST } from '../../src/wire/postgres/ssl-request.js';
import { PreTlsError } from '../../src/wire/pre-tls.js';

function failureOf(byte: number) {
  try {
    interpretSslResponse(byte);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof PreTlsError);
    return error.failure;
  }
}

describe('PostgreSQL SSLRequest', () => {
  it('is int32 length 8 followed by the request code 80877103', () => {
    assert.equal(SSL_REQUEST.length, 8);
    assert.equal(SSL_REQUEST.readInt32BE(0), 8);
    assert.equal(SSL_REQUEST.readInt32BE(4), 80877103);
  });

  it("lets TLS begin only on 'S'", () => {
    assert.equal(failureOf(0x53), undefined);
    assert.equal(failureOf(0x4e)?.kind, 'tls-not-offered');
    assert.equal(failureOf(0x45)?.kind, 'protocol-error');
    for (let byte = 0; byte < 256; byte += 1) {
      if (byte !== 0x53 && byte !== 0x4e) assert.equal(failureOf(byte)?.kind, 'protocol-error', `byte ${byte}`);
    }
  });
});
