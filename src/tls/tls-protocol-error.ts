/** The bytes cannot be the start of a TLS server's answer. */
export class TlsProtocolError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'TlsProtocolError';
  }
}
