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

/** Standard base64 with padding, exactly as `Buffer.toString('base64')` writes it. */
function isCanonicalBase64(text: unknown): text is string {
  return typeof text === 'string' && Buffer.from(text, 'base64').toString('base64') === text;
}

const ENVELOPE_FIELDS = ['payload', 'payloadType', 'signatures'];
const SIGNATURE_FIELDS = new Set(['keyid', 'sig']);

/**
 * What is wrong with an envelope's form, if anything. dbcomply writes exactly payloadType, payload
 * and signatures (each a keyid and sig), in standard padded base64. Node's base64 decoder skips
 * whitespace and anything after padding and takes base64url too, so a lenient reader would accept an
 * envelope carrying bytes that no signature covers; DSSE permits base64url, but this tool never
 * writes it, so any other spelling means the envelope was edited after signing.
 */
export function envelopeFormProblem(envelope: unknown): string | undefined {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) return 'not a JSON object';
  const fields = Object.keys(envelope).sort();
  if (fields.join() !== ENVELOPE_FIELDS.join()) return `has the fields ${fields.join(', ') || 'none'}, expected ${ENVELOPE_FIELDS.join(', ')}`;
  const { payload, signatures } = envelope as DsseEnvelope;
  if (!isCanonicalBase64(payload)) return 'its payload is not standard padded base64 as dbcomply writes it';
  if (!Array.isArray(signatures)) return 'its signatures are not a list';
  for (const signature of signatures as unknown[]) {
    if (typeof signature !== 'object' || signature === null || Object.keys(signature).some((field) => !SIGNATURE_FIELDS.has(field))) return 'a signature has fields other than keyid and sig';
    const { keyid, sig } = signature as { keyid?: unknown; sig?: unknown };
    if (keyid !== undefined && typeof keyid !== 'string') return 'a keyid is not a string';
    if (!isCanonicalBase64(sig) || sig.length === 0) return 'a signature is not standard padded base64 as dbcomply writes it';
  }
  return undefined;
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
