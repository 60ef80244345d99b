/**
 * OpenSSL errors raised by our own client before or while judging the server's answer. They say
 * nothing about what the server accepts, so a handshake ending in one of them is undecided, never
 * "refused" (for example LEGACY_SIGALG when the client's security level forbids an old signature).
 */
const CLIENT_SIDE_CODES = new Set([
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_NO_CIPHERS_AVAILABLE',
  'ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM',
  'ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED',
  'ERR_SSL_CA_MD_TOO_WEAK',
  'ERR_SSL_EE_KEY_TOO_SMALL',
  'ERR_SSL_CA_KEY_TOO_SMALL',
  'ERR_SSL_DH_KEY_TOO_SMALL',
  'ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED',
  'ERR_SSL_WRONG_SIGNATURE_TYPE',
  'ERR_OSSL_EVP_UNSUPPORTED',
]);

export function isClientLimitation(code: string | undefined): boolean {
  return code !== undefined && CLIENT_SIDE_CODES.has(code);
}
