import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, redactDeep, REDACTED } from '../../src/report/redact.js';
import { rememberPassword } from '../../src/targets/secret-store.js';

test('known secrets are removed wherever they appear', () => {
  rememberPassword('redact-test', 'Canary-7f3e');
  assert.equal(redact('login failed for Canary-7f3e at "xCanary-7f3ey"'), `login failed for ${REDACTED} at "x${REDACTED}y"`);
});

test('the password part of any URL is removed even when the secret is unknown', () => {
  assert.equal(redact('postgres://app:unknown1@db:5432/x'), `postgres://app:${REDACTED}@db:5432/x`);
  assert.equal(redact('mysql://app@db:3306/x'), 'mysql://app@db:3306/x');
});

test('server messages that merely mention passwords are left readable', () => {
  const message = "Access denied for user 'app'@'127.0.0.1' (using password: YES)";
  assert.equal(redact(message), message);
});

test('short secrets are not searched for, so they cannot wreck or betray the output', () => {
  rememberPassword('short-secret', 'a');
  assert.equal(redact('transport.cert-hostname'), 'transport.cert-hostname');
});

test('structured data is redacted value by value and stays valid', () => {
  rememberPassword('quote-secret', 'p"ssw0rd"x');
  const clean = redactDeep({ reason: 'sent p"ssw0rd"x', nested: [{ note: 'Canary-7f3e' }], count: 3 });
  assert.deepEqual(clean, { reason: `sent ${REDACTED}`, nested: [{ note: REDACTED }], count: 3 });
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(clean)));
});

test('overlapping secrets are removed as one stretch: no part of either is left', () => {
  rememberPassword('overlap-a', 'abcdefgh');
  rememberPassword('overlap-b', 'efghijklmn');
  assert.equal(redact('x abcdefghijklmn y'), `x ${REDACTED} y`);
  assert.equal(redact('x efghijklmn abcdefgh y'), `x ${REDACTED} ${REDACTED} y`);
});

test('secrets with characters special to regular expressions are matched literally', () => {
  rememberPassword('regexp-secret', 'a.b*c(d)[e]+f?$^|\\');
  assert.equal(redact('sent a.b*c(d)[e]+f?$^|\\ now; aXbbbc(d)[e]f stays'), `sent ${REDACTED} now; aXbbbc(d)[e]f stays`);
});

test('a secret remembered after the first redaction is redacted too', () => {
  assert.equal(redact('late-secret-91x'), 'late-secret-91x');
  rememberPassword('late', 'late-secret-91x');
  assert.equal(redact('late-secret-91x'), REDACTED);
});

test('long secrets (tokens) are found too, also where they overlap a short one', async () => {
  const { rememberToken } = await import('../../src/targets/secret-store.js');
  const token = `eyJ${'a1B2c3D4'.repeat(40)}.sig`;
  rememberToken(token);
  assert.equal(redact(`Bearer ${token} sent`), `Bearer ${REDACTED} sent`);
  rememberPassword('token-overlap', 'sig and more');
  assert.equal(redact(`x ${token} and more y`), `x ${REDACTED} y`);
});
