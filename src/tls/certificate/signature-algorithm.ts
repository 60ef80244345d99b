/**
 * Node 20's X509Certificate does not expose the signature algorithm, so read it from the DER:
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm AlgorithmIdentifier, ... }.
 */
const NAMES: Record<string, { name: string; hash: string }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: 'see parameters' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-SHA256', hash: 'sha256' },
  '1.3.101.112': { name: 'Ed25519', hash: 'intrinsic' },
  '1.3.101.113': { name: 'Ed448', hash: 'intrinsic' },
};

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '1.2.840.113549.2.5': 'md5',
};

export interface SignatureAlgorithm {
  oid: string;
  name: string;
  /** Digest used by the signature, lower case (sha1, sha256, md5 ...). */
  hash: string;
}

interface Der {
  tag: number;
  start: number;
  end: number;
}

function readElement(der: Buffer, offset: number): Der {
  if (offset + 2 > der.length) throw new Error('truncated DER');
  const tag = der[offset];
  let length = der[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || offset + 2 + bytes > der.length) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[offset + 2 + i];
    header += bytes;
  }
  const start = offset + header;
  if (start + length > der.length) throw new Error('truncated DER');
  return { tag, start, end: start + length };
}

function decodeOid(bytes: Buffer): string {
  const parts = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** RSASSA-PSS names its digest in the parameters; absent means SHA-1 (RFC 4055). */
function pssHash(der: Buffer, params: Der | undefined): string {
  if (!params || params.tag !== 0x30 || params.start === params.end) return 'sha1';
  const first = readElement(der, params.start);
  if (first.tag !== 0xa0) return 'sha1';
  const hashAlgorithm = readElement(der, first.start);
  const oid = readElement(der, hashAlgorithm.start);
  return HASH_OIDS[decodeOid(der.subarray(oid.start, oid.end))] ?? 'unknown';
}

export function signatureAlgorithmOf(der: Buffer): SignatureAlgorithm {
  const certificate = readElement(der, 0);
  const tbs = readElement(der, certificate.start);
  const algorithm = readElement(der, tbs.end);
  const oidElement = readElement(der, algorithm.start);
  if (oidElement.tag !== 0x06) throw new Error('signature algorithm is not an OID');
  const oid = decodeOid(der.subarray(oidElement.start, oidElement.end));
  const params = oidElement.end < algorithm.end ? readElement(der, oidElement.end) : undefined;
  const known = NAMES[oid];
  if (!known) return { oid, name: oid, hash: 'unknown' };
  const hash = known.name === 'RSASSA-PSS' ? pssHash(der, params) : known.hash;
  return { oid, name: known.name, hash };
}
