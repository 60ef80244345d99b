import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertFromNodeErrorCode } from '../../src/tls/alerts.js';
import { isClientLimitation } from '../../src/tls/client-limitations.js';

test('alerts received from the server are recognised from Node error codes', () => {
  assert.deepEqual(alertFromNodeErrorCode('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'), { code: 70, name: 'protocol_version' });
  assert.deepEqual(alertFromNodeErrorCode('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), { code: 40, name: 'handshake_failure' });
  assert.deepEqual(alertFromNodeErrorCode('ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY'), { code: 71, name: 'insufficient_security' });
  assert.deepEqual(alertFromNodeErrorCode('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), { code: 116, name: 'certificate_required' });
});

test('our own client errors are not alerts, and the known ones are client limitations', () => {
  for (const code of ['ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ECONNRESET', undefined]) {
    assert.equal(alertFromNodeErrorCode(code), undefined, String(code));
  }
  assert.equal(isClientLimitation('ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED'), true);
  assert.equal(isClientLimitation('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'), false);
});
