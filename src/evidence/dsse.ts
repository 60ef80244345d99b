import { sign as signBytes, verify as verifyBytes, type KeyObject } from 'node:crypto';
import { keyIdOf, signatureAlgorithmOf } from './signing-key.js';

/** A DSSE envelope (github.com/secure-systems-lab/dsse, envelope.md): the payload travels base64-encoded with its type. */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid?: string; sig: string }>;
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/**
 * DSSE's pre-authentication encoding (protocol.md): the signature covers the payload type too, so
 * a signature made for one type never verifies as another. LEN counts bytes, not characters.
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 */
export function preAuthenticationEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** ed25519 signs the message itself; ECDSA P-256 signs its SHA-256, DER-encoded as DSSE tools expect. */
export function signEnvelope(payloadType: string, payload: Buffer, privateKey: KeyObject): DsseEnvelope {
  const message = preAuthenticationEncoding(payloadType, payload);
  const algorithm = signatureAlgorithmOf(privateKey);
  const sig = signBytes(algorithm === 'ed25519' ? null : 'sha256', message, algorithm === 'ed25519' ? privateKey : { key: privateKey, dsaEncoding: 'der' });
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: keyIdOf(privateKey), sig: sig.toString('base64') }] };
}

export function unsignedEnvelope(payloadType: string, payload: Buffer): DsseEnvelope {
  return { payloadType, payload: payload.toString('base64'), signatures: [] };
}

/** True when any signature of the envelope verifies with the key; the key id is only a hint, never trusted. */
export function envelopeSignedBy(envelope: DsseEnvelope, publicKey: KeyObject): boolean {
  const message = preAuthenticationEncoding(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  const algorithm = signatureAlgorithmOf(publicKey);
  return envelope.signatures.some((signature) => {
    try {
      return verifyBytes(algorithm === 'ed25519' ? null : 'sha256', message, algorithm === 'ed25519' ? publicKey : { key: publicKey, dsaEncoding: 'der' }, Buffer.from(signature.sig, 'base64'));
    } catch {
      return false;
    }
  });
}
