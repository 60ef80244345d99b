import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { mariaDbEd25519PublicKey, mariaDbEd25519Signature } from '../../src/wire/mysql/ed25519-signature.js';

test('a client_ed25519 answer is a standard ed25519 signature that verifies under the stored public key', () => {
  for (const password of ['', 'p', 'correct horse battery staple', 'ü'.repeat(300)]) {
    const scramble = randomBytes(32);
    const signature = mariaDbEd25519Signature(scramble, password);
    const publicKey = Buffer.from(mariaDbEd25519PublicKey(password), 'base64');
    assert.equal(signature.length, 64);
    assert.ok(ed25519.verify(signature, scramble, publicKey), `verifies for a ${password.length}-character password`);
    assert.ok(!ed25519.verify(signature, randomBytes(32), publicKey), 'does not verify for another scramble');
    assert.ok(!ed25519.verify(mariaDbEd25519Signature(scramble, password + 'x'), scramble, publicKey), 'another password gives another key');
  }
});
