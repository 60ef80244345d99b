import tls from 'node:tls';
import { isIP } from 'node:net';
import type { Endpoint, TlsNegotiation } from '../targets/target.js';
import { dialPreTls, POSTGRES_ALPN } from '../wire/dial.js';
import { PreTlsError } from '../wire/pre-tls.js';
import { alertFromNodeErrorCode, type TlsAlert } from './alerts.js';
import { isClientLimitation } from './client-limitations.js';
import { offeredGroups } from './client-offer.js';
import type { TlsVersion } from './versions.js';

/** Every suite our OpenSSL can offer, so a version probe is refused for the version, not the suites. */
const ALL_SUITES =
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256:ALL:COMPLEMENTOFALL:@SECLEVEL=0';

export type HandshakeOutcome =
  /** The handshake completed with exactly the offered version. */
  | 'accepted'
  /** The server answered with a TLS alert. */
  | 'refused'
  /**
   * No alert, but no handshake either: the server hung up, reset, or answered in a version we did
   * not offer. Telling refusal from breakage needs another version to have completed.
   */
  | 'declined'
  /** The database declined to start TLS at all (PostgreSQL 'N', MySQL without CLIENT_SSL). */
  | 'tls-not-offered'
  /** Timeout, unreachable, garbage, or a limitation of our own client. */
  | 'undecided';

export interface HandshakeEvidence {
  /** alpn: what the ClientHello offered as ALPN (direct TLS: ["postgresql"]). */
  offered: { version: TlsVersion; servername?: string; alpn?: string[] };
  /** PostgreSQL: which path led to TLS, the SSLRequest exchange or direct TLS (17+). */
  negotiation: TlsNegotiation;
  outcome: HandshakeOutcome;
  reason: string;
  /** alpn: the protocol the server selected, when it selected one. */
  negotiated?: { protocol: string; cipher: string; ianaCipher: string; alpn?: string };
  alert?: TlsAlert;
  errorCode?: string;
  serverGreeting?: string;
  timings: { connectMs?: number; preambleMs?: number; handshakeMs?: number; totalMs: number };
}

export interface HandshakeResult {
  evidence: HandshakeEvidence;
  /** DER of the presented chain, leaf first; kept out of the evidence, which carries summaries. */
  peerChain: Buffer[];
}

export interface HandshakeOptions {
  version: TlsVersion;
  /** The name the client dialled; sent as SNI when it is a DNS name. */
  host: string;
  /**
   * PostgreSQL: postgres (default) after the SSLRequest exchange; direct: TLS from the first byte
   * with ALPN "postgresql" (17+). A server without direct TLS hangs up: outcome 'declined'.
   */
  negotiation?: TlsNegotiation;
}

/** One handshake, pinned to one TLS version, after the engine's own preamble (or none: direct TLS). */
export async function handshake(endpoint: Endpoint, options: HandshakeOptions): Promise<HandshakeResult> {
  const started = performance.now();
  const servername = isIP(options.host) ? undefined : options.host;
  const negotiation = options.negotiation ?? 'postgres';
  const alpn = negotiation === 'direct' ? [POSTGRES_ALPN] : undefined;
  const offered = { version: options.version, servername, ...(alpn ? { alpn } : {}) };
  const elapsed = () => Math.round(performance.now() - started);

  let connection;
  try {
    connection = await dialPreTls(endpoint, { negotiation });
  } catch (error) {
    if (error instanceof PreTlsError) {
      const outcome = error.failure.kind === 'tls-not-offered' ? 'tls-not-offered' : 'undecided';
      return { evidence: { offered, negotiation, outcome, reason: `${error.failure.kind}: ${error.failure.detail}`, timings: { totalMs: elapsed() } }, peerChain: [] };
    }
    throw error;
  }

  const handshakeStarted = performance.now();
  const remaining = Math.max(1, endpoint.timeoutMs - elapsed());
  const preambleTimings = { connectMs: connection.timings.connectMs, preambleMs: connection.timings.preambleMs };
  const serverGreeting = connection.serverGreeting?.serverVersion;

  return new Promise<HandshakeResult>((resolve) => {
    let settled = false;
    const socket = tls.connect({
      socket: connection.socket,
      servername,
      minVersion: options.version,
      maxVersion: options.version,
      ciphers: ALL_SUITES,
      ecdhCurve: offeredGroups(),
      rejectUnauthorized: false,
      ...(connection.alpnProtocols ? { ALPNProtocols: connection.alpnProtocols } : {}),
    });
    const finish = (evidence: Omit<HandshakeEvidence, 'offered' | 'negotiation' | 'timings' | 'serverGreeting'>, peerChain: Buffer[] = []) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      connection.socket.destroy();
      resolve({
        evidence: {
          offered,
          negotiation,
          ...evidence,
          serverGreeting,
          timings: { ...preambleTimings, handshakeMs: Math.round(performance.now() - handshakeStarted), totalMs: elapsed() },
        },
        peerChain,
      });
    };
    const timer = setTimeout(
      () => finish({ outcome: 'undecided', reason: `no TLS answer within ${endpoint.timeoutMs} ms` }),
      remaining,
    );
    socket.once('secureConnect', () => {
      const cipher = socket.getCipher();
      const protocol = socket.getProtocol() ?? 'unknown';
      const selectedAlpn = socket.alpnProtocol;
      const negotiated = { protocol, cipher: cipher.name, ianaCipher: cipher.standardName, ...(selectedAlpn ? { alpn: selectedAlpn } : {}) };
      if (protocol !== options.version) {
        finish({ outcome: 'declined', reason: `server negotiated ${protocol} instead of ${options.version}`, negotiated });
        return;
      }
      finish({ outcome: 'accepted', reason: `handshake completed with ${protocol} ${cipher.standardName}`, negotiated }, peerChainOf(socket));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => finish(classifyHandshakeError(error)));
    socket.once('close', () =>
      finish({
        outcome: 'declined',
        reason:
          negotiation === 'direct'
            ? 'server closed the connection without a TLS answer to a direct ClientHello (no direct TLS: before PostgreSQL 17, or TLS off)'
            : 'server closed the connection during the handshake without a TLS alert',
      }),
    );
  });
}

function classifyHandshakeError(error: NodeJS.ErrnoException): Omit<HandshakeEvidence, 'offered' | 'negotiation' | 'timings'> {
  const alert = alertFromNodeErrorCode(error.code);
  if (alert) {
    return { outcome: 'refused', reason: `server sent TLS alert ${alert.code} (${alert.name})`, alert, errorCode: error.code };
  }
  if (error.code === 'ERR_SSL_UNSUPPORTED_PROTOCOL') {
    return { outcome: 'declined', reason: 'server answered with a TLS version that was not offered', errorCode: error.code };
  }
  if (isClientLimitation(error.code)) {
    return { outcome: 'undecided', reason: `our TLS client could not complete this handshake (${error.code}); the server was not judged`, errorCode: error.code };
  }
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    return { outcome: 'declined', reason: `server reset the connection during the handshake without a TLS alert (${error.code})`, errorCode: error.code };
  }
  return { outcome: 'undecided', reason: `handshake failed: ${error.message}`, errorCode: error.code };
}

function peerChainOf(socket: tls.TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  let current: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current && current.raw && chain.length < 10) {
    chain.push(current.raw);
    const issuer: tls.DetailedPeerCertificate | undefined = current.issuerCertificate;
    if (!issuer || issuer === current || issuer.raw.equals(current.raw)) break;
    current = issuer;
  }
  return chain;
}
