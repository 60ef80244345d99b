import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, REDACTED } from '../../src/report/redact.js';
import { rememberPassword } from '../../src/targets/secret-store.js';

test('known secrets are removed wherever they appear', () => {
  rememberPassword('redact-test', 'Canary-7f3e');
  assert.equal(redact('login failed for Canary-7f3e at "xCanary-7f3ey"'), `login failed for ${REDACTED} at "x${REDACTED}y"`);
});

test('credentials in URLs and key=value pairs are removed even when unknown', () => {
  assert.equal(redact('postgres://app:unknown1@db:5432/x'), `postgres://app:${REDACTED}@db:5432/x`);
  assert.equal(redact('password=abc token: xyz'), `password=${REDACTED} token: ${REDACTED}`);
  assert.equal(redact('mysql://app@db:3306/x'), 'mysql://app@db:3306/x');
});
