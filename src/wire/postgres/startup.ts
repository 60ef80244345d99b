import { PreTlsError } from '../pre-tls.js';

const PROTOCOL_3_0 = 196608;
/** Longer first replies are not from a PostgreSQL server we should keep reading. */
export const MAX_FIRST_REPLY_LENGTH = 64 * 1024;

export type AuthenticationRequest =
  /** AuthenticationOk straight away: the server let us in without asking for anything (trust). */
  | { method: 'none' }
  | { method: 'cleartext-password' }
  | { method: 'md5' }
  | { method: 'sasl'; mechanisms: string[] }
  | { method: 'gss' | 'sspi' | 'kerberos'; code: number }
  | { method: 'other'; code: number };

export interface ServerError {
  severity?: string;
  /** SQLSTATE, e.g. 28000 (rejected by pg_hba), 28P01 (bad password). */
  code?: string;
  message?: string;
}

export type FirstReply = { kind: 'authentication'; request: AuthenticationRequest } | { kind: 'error'; error: ServerError };

export function buildStartupMessage(parameters: Record<string, string>): Buffer {
  const body = Buffer.concat([
    ...Object.entries(parameters).flatMap(([key, value]) => [Buffer.from(`${key}\0`), Buffer.from(`${value}\0`)]),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([header, body]);
}

/**
 * Terminate ('X'). Sent while the server waits for a password it ends the backend at once (as a
 * protocol violation); an authentication cut short by EOF would wait out auth_delay first.
 */
export const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

function protocolError(detail: string): PreTlsError {
  return new PreTlsError({ kind: 'protocol-error', detail });
}

function parseAuthentication(body: Buffer): AuthenticationRequest {
  if (body.length < 4) throw protocolError('authentication request shorter than its code');
  const code = body.readInt32BE(0);
  switch (code) {
    case 0:
      return { method: 'none' };
    case 2:
      return { method: 'kerberos', code };
    case 3:
      return { method: 'cleartext-password' };
    case 5:
      return { method: 'md5' };
    case 7:
      return { method: 'gss', code };
    case 9:
      return { method: 'sspi', code };
    case 10:
      return { method: 'sasl', mechanisms: body.subarray(4).toString('utf8').split('\0').filter(Boolean) };
    default:
      return { method: 'other', code };
  }
}

function parseError(body: Buffer): ServerError {
  const error: ServerError = {};
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const field = String.fromCharCode(body[offset]);
    const end = body.indexOf(0, offset + 1);
    if (end < 0) throw protocolError('unterminated field in an error message');
    const value = body.toString('utf8', offset + 1, end);
    if (field === 'S') error.severity = value;
    else if (field === 'C') error.code = value;
    else if (field === 'M') error.message = value;
    offset = end + 1;
  }
  return error;
}

/**
 * The server's first answer to a StartupMessage: which authentication it asks for, or why it
 * refuses. Returns undefined while the message is still incomplete. NegotiateProtocolVersion and
 * notices before it are skipped.
 */
export function parseFirstReply(bytes: Buffer): FirstReply | undefined {
  let offset = 0;
  while (bytes.length - offset >= 5) {
    const type = String.fromCharCode(bytes[offset]);
    const length = bytes.readInt32BE(offset + 1);
    if (length < 4 || length > MAX_FIRST_REPLY_LENGTH) throw protocolError(`message '${type}' announces an impossible length ${length}`);
    if (bytes.length - offset < 1 + length) return undefined;
    const body = bytes.subarray(offset + 5, offset + 1 + length);
    if (type === 'R') return { kind: 'authentication', request: parseAuthentication(body) };
    if (type === 'E') return { kind: 'error', error: parseError(body) };
    if (type !== 'v' && type !== 'N') throw protocolError(`unexpected message '${type}' before authentication`);
    offset += 1 + length;
  }
  if (bytes.length > MAX_FIRST_REPLY_LENGTH) throw protocolError('first reply too long');
  return undefined;
}
