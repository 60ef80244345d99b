import type { Socket } from 'node:net';
import type { TlsNegotiation } from '../targets/target.js';

/**
 * A TCP connection that has been brought, by the database's own protocol, to the point where the
 * next bytes the server expects are a TLS ClientHello.
 */
export interface PreTlsConnection {
  socket: Socket;
  /** PostgreSQL's path to the TLS point (SSLRequest or direct); MySQL, which has only its own preamble, is 'postgres'. */
  negotiation: TlsNegotiation;
  /** What the ClientHello must offer as ALPN on this path (direct: ["postgresql"]); absent: none needed. */
  alpnProtocols?: string[];
  /** What the server told us before TLS began (MySQL's greeting; nothing for PostgreSQL). */
  serverGreeting?: { protocolVersion: number; serverVersion: string; connectionId: number; capabilities: number; authPlugin: string };
  timings: { connectMs: number; preambleMs: number };
}

/** Why a connection could not be brought to the TLS point. */
export type PreTlsFailure =
  | { kind: 'tls-not-offered'; detail: string }
  | { kind: 'unreachable'; detail: string }
  /** Reachable, but the server turned us away before TLS (MySQL: host not allowed, host blocked, too many connections). */
  | { kind: 'server-refused'; code: number; detail: string }
  | { kind: 'timeout'; detail: string }
  | { kind: 'protocol-error'; detail: string };

export class PreTlsError extends Error {
  constructor(readonly failure: PreTlsFailure) {
    super(failure.detail);
    this.name = 'PreTlsError';
  }
}
