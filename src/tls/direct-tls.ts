import { isIP } from 'node:net';
import type { Endpoint } from '../targets/target.js';
import { dialPreTls } from '../wire/dial.js';
import { PreTlsError } from '../wire/pre-tls.js';
import { CIPHER_SUITES, formatSuiteCode } from './cipher-suites.js';
import { buildClientHello } from './client-hello.js';
import { exchangeHellos, HelloExchangeError } from './hello-exchange.js';
import type { ServerAnswer } from './server-hello.js';
import { TLS_VERSIONS, WIRE_VERSION, displayVersion } from './versions.js';

/** wolfSSL and some terminators refuse a ClientHello with more suites than this. */
const MAX_SUITES = 150;

export interface DirectTlsEvidence {
  /**
   * accepted: the server answered a ClientHello sent as the very first bytes (ALPN "postgresql")
   * in TLS, with a ServerHello or an alert: it speaks TLS on this path, so the path is a way in
   * that the transport controls must judge. not-accepted: it hung up, reset, or answered in
   * PostgreSQL's own protocol (before 17, or TLS off). undecided: no answer in time, unreachable.
   */
  outcome: 'accepted' | 'not-accepted' | 'undecided';
  reason: string;
  /** What the server sent back, in words: "ServerHello TLS 1.2 0xC030", "alert 70 (protocol_version)". */
  answer?: string;
  elapsedMs: number;
}

/**
 * Does the server accept PostgreSQL 17's direct TLS? One connection, one TLS 1.2 ClientHello with
 * ALPN "postgresql" as the first bytes, no SSLRequest; the handshake is never completed.
 */
export async function probeDirectTls(endpoint: Endpoint, options: { host: string }): Promise<DirectTlsEvidence> {
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  const serverName = isIP(options.host) ? undefined : options.host;
  try {
    const { socket, alpnProtocols } = await dialPreTls(endpoint, { negotiation: 'direct' });
    const cipherSuites = CIPHER_SUITES.filter((suite) => !suite.tls13)
      .slice(0, MAX_SUITES)
      .map((suite) => suite.code);
    const hello = buildClientHello({ version: 'TLSv1.2', cipherSuites, serverName, alpn: alpnProtocols });
    const answer = await exchangeHellos(socket, hello, Math.max(1, endpoint.timeoutMs - elapsedMs()));
    const described = describeAnswer(answer);
    return { outcome: 'accepted', reason: `the server answered a direct ClientHello in TLS (${described})`, answer: described, elapsedMs: elapsedMs() };
  } catch (error) {
    if (error instanceof PreTlsError) return { outcome: 'undecided', reason: `${error.failure.kind}: ${error.failure.detail}`, elapsedMs: elapsedMs() };
    if (error instanceof HelloExchangeError) {
      if (error.failure === 'timeout') return { outcome: 'undecided', reason: error.message, elapsedMs: elapsedMs() };
      return { outcome: 'not-accepted', reason: `no TLS answer to a direct ClientHello: ${notAcceptedDetail(error)}`, elapsedMs: elapsedMs() };
    }
    throw error;
  }
}

/** A closed connection or bytes that are not TLS (PostgreSQL's ErrorResponse 'E') both mean no direct TLS. */
function notAcceptedDetail(error: HelloExchangeError): string {
  if (error.failure === 'protocol-error') return `${error.message} (PostgreSQL read it as a startup packet)`;
  return error.message;
}

function describeAnswer(answer: ServerAnswer): string {
  if (answer.kind === 'alert') return `alert ${answer.code} (${answer.name})`;
  const version = TLS_VERSIONS.find((candidate) => WIRE_VERSION[candidate] === answer.version);
  return `ServerHello ${version ? displayVersion(version) : `version 0x${answer.version.toString(16)}`} ${formatSuiteCode(answer.cipherSuite)}`;
}
