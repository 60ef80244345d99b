/** TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2) by code. */
export const TLS_ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

export interface TlsAlert {
  code: number;
  name: string;
}

const CODE_BY_NAME = new Map(Object.entries(TLS_ALERTS).map(([code, name]) => [name.replace(/_/g, ''), Number(code)]));

/**
 * OpenSSL reports an alert received from the peer as a reason such as "tlsv1 alert protocol version",
 * which Node turns into ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION. Only such codes prove the *server*
 * refused; every other OpenSSL error is our own client's doing.
 */
export function alertFromNodeErrorCode(code: string | undefined): TlsAlert | undefined {
  const match = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$/.exec(code ?? '');
  if (!match) return undefined;
  const key = match[1].toLowerCase().replace(/_/g, '');
  const alertCode = CODE_BY_NAME.get(key) ?? CODE_BY_NAME.get(key.replace('cancelled', 'canceled'));
  return alertCode === undefined ? undefined : { code: alertCode, name: TLS_ALERTS[alertCode] };
}
