import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envelopeFormProblem, envelopeSignedBy, preAuthenticationEncoding, signEnvelope, unsignedEnvelope } from '../../src/evidence/dsse.js';
import { keyIdOf, signatureAlgorithmOf } from '../../src/evidence/signing-key.js';

test('PAE matches the DSSE specification test vector, counting bytes not characters', () => {
  assert.equal(preAuthenticationEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString(), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  assert.equal(preAuthenticationEncoding('t', Buffer.from('é')).toString(), 'DSSEv1 1 t 2 é');
  assert.equal(preAuthenticationEncoding('', Buffer.alloc(0)).toString(), 'DSSEv1 0  0 ');
});

for (const [name, pair] of [
  ['ed25519', () => generateKeyPairSync('ed25519')],
  ['ECDSA P-256', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' })],
] as const) {
  test(`${name}: an envelope verifies with its key, not with another key, nor after a payload or type change`, () => {
    const { privateKey, publicKey } = pair();
    const other = pair().publicKey;
    const envelope = signEnvelope('application/vnd.in-toto+json', Buffer.from('{"a":1}'), privateKey);
    assert.equal(envelope.signatures[0].keyid, keyIdOf(publicKey));
    assert.ok(envelopeSignedBy(envelope, publicKey));
    assert.ok(!envelopeSignedBy(envelope, other));
    assert.ok(!envelopeSignedBy({ ...envelope, payload: Buffer.from('{"a":2}').toString('base64') }, publicKey));
    assert.ok(!envelopeSignedBy({ ...envelope, payloadType: 'application/json' }, publicKey));
    assert.ok(!envelopeSignedBy({ ...envelope, signatures: [] }, publicKey));
  });
}

test('an ECDSA P-256 signature is DER over SHA-256 of the PAE, as OpenSSL verifies it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbcomply-dsse-'));
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
  const envelope = signEnvelope('application/vnd.in-toto+json', payload, privateKey);
  writeFileSync(join(dir, 'pae'), preAuthenticationEncoding(envelope.payloadType, payload));
  writeFileSync(join(dir, 'sig'), Buffer.from(envelope.signatures[0].sig, 'base64'));
  writeFileSync(join(dir, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  const output = execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig'), join(dir, 'pae')], { encoding: 'utf8' });
  assert.match(output, /Verified OK/);
});

test('keys other than ed25519 and P-256 are refused by name', () => {
  assert.throws(() => signatureAlgorithmOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), /rsa key; expected ed25519 or ECDSA P-256/);
  assert.throws(() => signatureAlgorithmOf(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey), /ec key on secp384r1/);
});

test('the envelopes dbcomply writes have the form verify demands; an edited spelling of the same bytes does not', () => {
  const payload = Buffer.from('{"a":"\u00e9?>"}\n');
  for (const key of [generateKeyPairSync('ed25519').privateKey, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey]) {
    const envelope = JSON.parse(JSON.stringify(signEnvelope('application/vnd.in-toto+json', payload, key)));
    assert.equal(envelopeFormProblem(envelope), undefined);
    assert.match(envelopeFormProblem({ ...envelope, payload: envelope.payload.replace(/=+$/, '') }) ?? '', /payload is not standard padded base64/);
    assert.match(envelopeFormProblem({ ...envelope, signatures: [{ ...envelope.signatures[0], note: 'x' }] }) ?? '', /fields other than keyid and sig/);
  }
  assert.equal(envelopeFormProblem(JSON.parse(JSON.stringify(unsignedEnvelope('application/vnd.in-toto+json', payload)))), undefined);
  assert.match(envelopeFormProblem([]) ?? '', /not a JSON object/);
});
