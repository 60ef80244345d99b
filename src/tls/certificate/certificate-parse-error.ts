/** The server presented bytes that are not a certificate we can read. */
export class CertificateParseError extends Error {
  constructor(detail: string) {
    super(`the server's certificate cannot be parsed: ${detail}`);
    this.name = 'CertificateParseError';
  }
}
