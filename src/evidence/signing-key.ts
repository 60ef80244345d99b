import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../targets/config-error.js';

export type SignatureAlgorithm = 'ed25519' | 'ecdsa-p256';

/** The two key types DSSE verifiers commonly accept and node:crypto signs without extra libraries. */
export function signatureAlgorithmOf(key: KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  const curve = key.asymmetricKeyDetails?.namedCurve ? ` on ${key.asymmetricKeyDetails.namedCurve}` : '';
  throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key${curve}; expected ed25519 or ECDSA P-256`);
}

/** SHA-256 of the public key's SubjectPublicKeyInfo: names the key in the envelope without revealing anything. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/**
 * Reads the private key before any server starts, so a bad key is a usage error. Messages name the
 * file and what is wrong with it, never a byte of the key (Node's own parse errors carry none, but
 * they are replaced anyway).
 */
export async function loadSigningKey(path: string): Promise<KeyObject> {
  const pem = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError('--signing-key', `cannot read ${path} (${error.code ?? 'unreadable'})`);
  });
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(pem) || /passphrase/i.test((error as Error).message);
    throw new ConfigError('--signing-key', encrypted ? `${path} is encrypted; give an unencrypted PEM private key (keep the file readable only by the job)` : `${path} is not a PEM private key`);
  }
  try {
    signatureAlgorithmOf(key);
  } catch (error) {
    throw new ConfigError('--signing-key', `${path} holds ${(error as Error).message}`);
  }
  return key;
}

/** A public key, or a private key from which the public half is taken. */
export async function loadVerificationKey(path: string, flag = '--key'): Promise<KeyObject> {
  return (await readVerificationKey(path, flag)).key;
}

/**
 * As loadVerificationKey, also saying whether the file held a private key: the check is the same
 * with its public half, but an auditor holding the private key could sign runs too, so verify says so.
 */
export async function readVerificationKey(path: string, flag = '--key'): Promise<{ key: KeyObject; fromPrivateKey: boolean }> {
  const pem = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(flag, `cannot read ${path} (${error.code ?? 'unreadable'})`);
  });
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new ConfigError(flag, `${path} is not a PEM public key`);
  }
  try {
    signatureAlgorithmOf(key);
  } catch (error) {
    throw new ConfigError(flag, `${path} holds ${(error as Error).message}`);
  }
  return { key, fromPrivateKey: /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) };
}
