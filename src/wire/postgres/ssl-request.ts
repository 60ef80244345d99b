import { PreTlsError } from '../pre-tls.js';
import type { PreambleIo } from '../preamble-io.js';

/** int32 length 8, int32 80877103: PostgreSQL's "please switch to TLS" message. */
export const SSL_REQUEST = Buffer.from([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]);

/** Judges the single byte a server answers an SSLRequest with; returns only when TLS may begin. */
export function interpretSslResponse(byte: number): void {
  if (byte === 0x53) return;
  if (byte === 0x4e) throw new PreTlsError({ kind: 'tls-not-offered', detail: "server answered the SSLRequest with 'N' (TLS not enabled)" });
  if (byte === 0x45) {
    throw new PreTlsError({ kind: 'protocol-error', detail: "server answered the SSLRequest with an error message ('E'): too old for TLS, or not PostgreSQL" });
  }
  throw new PreTlsError({ kind: 'protocol-error', detail: `server answered the SSLRequest with byte 0x${byte.toString(16).padStart(2, '0')}, not 'S' or 'N'` });
}

export async function negotiatePostgresTls(io: PreambleIo): Promise<void> {
  io.write(SSL_REQUEST);
  const [answer] = await io.read(1);
  interpretSslResponse(answer);
}
