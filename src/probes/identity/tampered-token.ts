/**
 * The token with one byte of its JWS signature changed: everything a server reads from it (user,
 * audience, expiry) stays the same, so only signature checking can refuse it. Undefined when the
 * token is not a compact JWS.
 */
export function withOneSignatureByteChanged(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[2] === '') return undefined;
  const signature = Buffer.from(parts[2], 'base64url');
  if (signature.length === 0) return undefined;
  signature[Math.floor(signature.length / 2)] ^= 0x01;
  return `${parts[0]}.${parts[1]}.${signature.toString('base64url')}`;
}
