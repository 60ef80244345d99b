import { X509Certificate } from 'node:crypto';
import { signatureAlgorithmOf, type SignatureAlgorithm } from './signature-algorithm.js';
import { CertificateParseError } from './certificate-parse-error.js';

export interface PublicKeySummary {
  type: string;
  /** RSA/DSA modulus length, or the EC field size. */
  bits?: number;
  curve?: string;
}

/** What an auditor needs to recognise a certificate; JSON-serialisable, goes into evidence. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  subjectAltName?: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  publicKey: PublicKeySummary;
  signatureAlgorithm: SignatureAlgorithm;
  isCA: boolean;
  fingerprintSha256: string;
}

const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp224r1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

export function publicKeyOf(certificate: X509Certificate): PublicKeySummary {
  const key = certificate.publicKey;
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (details.modulusLength) return { type, bits: details.modulusLength };
  if (details.namedCurve) return { type, curve: details.namedCurve, bits: CURVE_BITS[details.namedCurve] };
  if (type === 'ed25519') return { type, bits: 256 };
  if (type === 'ed448') return { type, bits: 456 };
  return { type };
}

/**
 * Throws CertificateParseError, and nothing else, for bytes that are not a readable certificate:
 * OpenSSL parses some fields (the public key) only when they are first read.
 */
export function summarizeCertificate(der: Buffer): CertificateSummary {
  try {
    const certificate = new X509Certificate(der);
    return {
      subject: certificate.subject.replace(/\n/g, ', '),
      issuer: certificate.issuer.replace(/\n/g, ', '),
      subjectAltName: certificate.subjectAltName,
      serialNumber: certificate.serialNumber,
      validFrom: isoDate(certificate.validFrom, 'notBefore'),
      validTo: isoDate(certificate.validTo, 'notAfter'),
      publicKey: publicKeyOf(certificate),
      signatureAlgorithm: signatureAlgorithmOf(der),
      isCA: certificate.ca,
      fingerprintSha256: certificate.fingerprint256,
    };
  } catch (error) {
    throw error instanceof CertificateParseError ? error : new CertificateParseError((error as Error).message);
  }
}

function isoDate(text: string, field: string): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new CertificateParseError(`${field} "${text}" is not a date`);
  return date.toISOString();
}
