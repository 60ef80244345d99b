import type { Endpoint, TlsNegotiation } from '../../targets/target.js';
import { CIPHER_SUITES, cipherSuiteByCode, formatSuiteCode } from '../../tls/cipher-suites.js';
import type { SuiteWeakness } from '../../tls/suite-classification.js';
import { buildClientHello, GROUPS_OFFERED_BEFORE_TLS13, GROUPS_OFFERED_TLS13, TLS13_KEY_SHARES_SENT } from '../../tls/client-hello.js';
import { exchangeHellos, HelloExchangeError } from '../../tls/hello-exchange.js';
import type { ServerAnswer } from '../../tls/server-hello.js';
import { describeGroup, groupByCode, namedGroupCode, type EphemeralGroup } from '../../tls/key-exchange-groups.js';
import { MIN_CURVE_STRENGTH_BITS } from './key-exchange-judgement.js';
import type { EphemeralKind } from '../../tls/server-key-exchange.js';
import { displayVersion, TLS_VERSIONS, WIRE_VERSION, type TlsVersion } from '../../tls/versions.js';
import { dialPreTls } from '../../wire/dial.js';
import { PreTlsError } from '../../wire/pre-tls.js';

export interface AcceptedSuite {
  /** Registry notation, e.g. '0xC02F'. */
  code: string;
  iana: string;
  openssl?: string;
  forwardSecrecy: boolean;
  weaknesses: SuiteWeakness[];
  /**
   * For ephemeral key exchanges (DHE, ECDHE, anonymous DH/ECDH, every TLS 1.3 suite): the group the
   * server's key was in, as read from the very handshake that accepted the suite ("DH 1024",
   * "DH 2048 (ffdhe2048)", "secp256r1", "x25519").
   */
  group?: string;
  keyExchangeGroup?: EphemeralGroup;
  /** Why an ephemeral suite's group could not be read; a judge of group strength cannot pass it. */
  groupUnreadable?: string;
  /** e.g. that the server sent its own DH prime although RFC 7919 groups were offered, or asked for a key share (HelloRetryRequest). */
  groupNote?: string;
}

export interface VersionCipherScan {
  version: TlsVersion;
  /**
   * accepted: at least one suite negotiated and the enumeration ran to its end.
   * version-refused: no suite negotiated at this version; `reason` tells protocol_version (or a
   * ServerHello for another version) apart from handshake_failure/insufficient_security (no suite in common).
   * undecided: a connection timed out, was reset or answered garbage; `acceptedSuites` may be incomplete.
   */
  status: 'accepted' | 'version-refused' | 'tls-not-offered' | 'undecided';
  reason?: string;
  /** In the order the server picked them, which is its preference order when it enforces one. */
  acceptedSuites: AcceptedSuite[];
  /**
   * Below TLS 1.3, when ECDHE suites were accepted: what the server did with a hello that offered
   * those suites and only curves below 256 bits. The enumeration offers strong curves first, so a
   * server that honours our order, or prefers its own strong group, shows a weak curve it also
   * accepts only to a client that offers nothing better.
   */
  weakCurveProbe?: WeakCurveProbe;
  connections: number;
  elapsedMs: number;
}

export interface WeakCurveProbe {
  offered: readonly string[];
  /** accepted: the server answered with an ECDHE key in `group`; refused: it sent handshake_failure or insufficient_security. */
  outcome: 'accepted' | 'refused' | 'undecided';
  group?: string;
  keyExchangeGroup?: EphemeralGroup;
  reason: string;
}

export interface CipherScanEvidence {
  /** PostgreSQL: the path every connection of this scan took to TLS (SSLRequest or direct). */
  negotiation: TlsNegotiation;
  versions: VersionCipherScan[];
  /** What our ClientHellos offered, so a reader can tell what the server chose its group from. */
  groupsOffered?: { beforeTls13: readonly string[]; tls13: readonly string[]; tls13KeyShares: readonly string[] };
}

export interface CipherScanOptions {
  /** How many versions are scanned at the same time; within a version connections are sequential. */
  concurrency?: number;
  /** SNI to send; defaults to endpoint.host. Never sent when it is an IP address. */
  servername?: string;
  /** PostgreSQL: postgres (default, after SSLRequest) or direct (TLS first, ALPN "postgresql", 17+). */
  negotiation?: TlsNegotiation;
}

/** wolfSSL, which some MariaDB builds bundle, rejects a ClientHello offering more than 150 suites. */
const MAX_SUITES_PER_HELLO = 150;
const DEFAULT_CONCURRENCY = 4;
const ALERT_HANDSHAKE_FAILURE = 40;
const ALERT_PROTOCOL_VERSION = 70;
const ALERT_INSUFFICIENT_SECURITY = 71;

/**
 * Finds every suite the server accepts, per version, by speaking TLS records directly (our OpenSSL
 * cannot offer RC4, EXPORT, DES and friends): offer all candidates, note the suite the server picks,
 * drop it and offer the rest again until the server refuses. N accepted suites cost N+1 connections
 * (one more per extra batch of 150 candidates); no handshake is ever completed.
 */
export async function scanCipherSuites(endpoint: Endpoint, versions: TlsVersion[], options: CipherScanOptions = {}): Promise<CipherScanEvidence> {
  const servername = options.servername ?? endpoint.host;
  const negotiation = options.negotiation ?? 'postgres';
  const scans = await mapWithConcurrency(versions, options.concurrency ?? DEFAULT_CONCURRENCY, (version) =>
    scanVersion(endpoint, version, servername, negotiation),
  );
  return { negotiation, versions: scans, groupsOffered: { beforeTls13: GROUPS_OFFERED_BEFORE_TLS13, tls13: GROUPS_OFFERED_TLS13, tls13KeyShares: TLS13_KEY_SHARES_SENT } };
}

async function scanVersion(endpoint: Endpoint, version: TlsVersion, servername: string, negotiation: TlsNegotiation): Promise<VersionCipherScan> {
  const started = performance.now();
  const candidates = CIPHER_SUITES.filter((suite) => suite.tls13 === (version === 'TLSv1.3')).map((suite) => suite.code);
  const accepted: Array<{ code: number; answer: ServerAnswer & { kind: 'server-hello' } }> = [];
  let untested = candidates;
  let connections = 0;
  let lastRefusal: string | undefined;
  const result = (status: VersionCipherScan['status'], reason?: string): VersionCipherScan => ({
    version,
    status,
    ...(reason ? { reason } : {}),
    acceptedSuites: accepted.map(({ code, answer }) => describeAccepted(code, answer)),
    connections,
    elapsedMs: Math.round(performance.now() - started),
  });
  const afterAccepted = () => (accepted.length > 0 ? ` after accepting ${accepted.length} suites` : '');

  // Every connection either ends the scan or removes at least one candidate, so a version costs at
  // most one connection per candidate plus one per batch, whatever the server answers.
  while (untested.length > 0) {
    const offered = untested.slice(0, MAX_SUITES_PER_HELLO);
    connections += 1;
    const outcome = await offer(endpoint, version, offered, servername, negotiation);
    if (outcome.kind === 'failed') {
      return result(accepted.length === 0 ? outcome.status : 'undecided', `${outcome.reason}${afterAccepted()}`);
    }
    const answer = outcome.answer;
    if (answer.kind === 'alert') {
      const alert = `alert ${answer.code} (${answer.name})`;
      if (answer.code === ALERT_HANDSHAKE_FAILURE || answer.code === ALERT_INSUFFICIENT_SECURITY) {
        lastRefusal = alert;
        untested = untested.slice(offered.length);
        continue;
      }
      if (answer.code === ALERT_PROTOCOL_VERSION && accepted.length === 0) {
        return result('version-refused', `server refused ${displayVersion(version)} with ${alert}`);
      }
      return result('undecided', `server sent ${alert}${afterAccepted()}`);
    }
    if (answer.version !== WIRE_VERSION[version]) {
      const reason = `server answered with ${describeWireVersion(answer.version)} instead of ${displayVersion(version)}`;
      return accepted.length === 0 ? result('version-refused', reason) : result('undecided', `${reason}${afterAccepted()}`);
    }
    accepted.push({ code: answer.cipherSuite, answer });
    if (!offered.includes(answer.cipherSuite)) {
      return result('undecided', `server chose ${formatSuiteCode(answer.cipherSuite)}, which was not offered; enumeration stopped`);
    }
    untested = untested.filter((code) => code !== answer.cipherSuite);
  }
  if (accepted.length === 0) return result('version-refused', `no suite in common: every offered suite refused with ${lastRefusal}`);
  const scanned = result('accepted', lastRefusal && `the remaining suites were refused with ${lastRefusal}`);
  const ecdhe = accepted.map(({ code }) => code).filter((code) => cipherSuiteByCode(code)?.keyExchange === 'ECDHE');
  if (version === 'TLSv1.3' || ecdhe.length === 0) return scanned;
  const weakCurveProbe = await offerOnlyWeakCurves(endpoint, version, ecdhe, servername, negotiation);
  return { ...scanned, weakCurveProbe, connections: scanned.connections + 1, elapsedMs: Math.round(performance.now() - started) };
}

/** The curves we offer below TLS 1.3 that sit under the 128-bit level (fields under 256 bits). */
export const WEAK_CURVES_OFFERED: readonly string[] = GROUPS_OFFERED_BEFORE_TLS13.filter((name) => {
  const group = groupByCode(namedGroupCode(name));
  return group.family === 'EC' && (group.strengthBits ?? 0) < MIN_CURVE_STRENGTH_BITS;
});

async function offerOnlyWeakCurves(endpoint: Endpoint, version: TlsVersion, suites: number[], servername: string, negotiation: TlsNegotiation): Promise<WeakCurveProbe> {
  const offered = WEAK_CURVES_OFFERED;
  const outcome = await offer(endpoint, version, suites, servername, negotiation, offered);
  if (outcome.kind === 'failed') return { offered, outcome: 'undecided', reason: outcome.reason };
  const answer = outcome.answer;
  if (answer.kind === 'alert') {
    const alert = `alert ${answer.code} (${answer.name})`;
    if (answer.code === ALERT_HANDSHAKE_FAILURE || answer.code === ALERT_INSUFFICIENT_SECURITY) return { offered, outcome: 'refused', reason: `refused with ${alert}` };
    return { offered, outcome: 'undecided', reason: `server sent ${alert}` };
  }
  if (answer.version !== WIRE_VERSION[version] || !suites.includes(answer.cipherSuite)) {
    return { offered, outcome: 'undecided', reason: `server answered ${describeWireVersion(answer.version)} ${formatSuiteCode(answer.cipherSuite)}, not one of the offered ECDHE suites` };
  }
  const { group, keyExchangeGroup, groupUnreadable } = groupOf(answer);
  if (!keyExchangeGroup) return { offered, outcome: 'undecided', reason: `server accepted ${formatSuiteCode(answer.cipherSuite)}, but its group could not be read: ${groupUnreadable ?? 'no ServerKeyExchange'}` };
  return { offered, outcome: 'accepted', group, keyExchangeGroup, reason: `server accepted ${cipherSuiteByCode(answer.cipherSuite)?.iana ?? formatSuiteCode(answer.cipherSuite)} with ${group}` };
}

type OfferOutcome =
  | { kind: 'answered'; answer: ServerAnswer }
  | { kind: 'failed'; status: 'tls-not-offered' | 'undecided'; reason: string };

async function offer(endpoint: Endpoint, version: TlsVersion, suites: number[], servername: string, negotiation: TlsNegotiation, groups?: readonly string[]): Promise<OfferOutcome> {
  try {
    const { socket, alpnProtocols } = await dialPreTls(endpoint, { negotiation });
    const clientHello = buildClientHello({ version, cipherSuites: suites, serverName: servername, alpn: alpnProtocols, ...(groups ? { groups } : {}) });
    return { kind: 'answered', answer: await exchangeHellos(socket, clientHello, endpoint.timeoutMs, { keyExchangeOf: ephemeralKeyExchange }) };
  } catch (error) {
    if (error instanceof PreTlsError) {
      const status = error.failure.kind === 'tls-not-offered' ? 'tls-not-offered' : 'undecided';
      return { kind: 'failed', status, reason: `${error.failure.kind}: ${error.failure.detail}` };
    }
    if (error instanceof HelloExchangeError) return { kind: 'failed', status: 'undecided', reason: `${error.failure}: ${error.message}` };
    throw error;
  }
}

/**
 * The ServerKeyExchange layout of an ephemeral TLS 1.0-1.2 suite, so the scan reads its group from
 * the same connection (the server sends it in the same flight as the ServerHello). TLS 1.3 names
 * its group in the ServerHello itself; static (EC)DH and RSA send no ephemeral key.
 */
function ephemeralKeyExchange(hello: { version: number; cipherSuite: number }): EphemeralKind | undefined {
  if (hello.version >= WIRE_VERSION['TLSv1.3']) return undefined;
  const suite = cipherSuiteByCode(hello.cipherSuite);
  if (!suite) return undefined;
  const anonymous = suite.weaknesses.includes('anonymous');
  if (suite.keyExchange === 'DHE' || (suite.keyExchange === 'DH' && anonymous)) return 'DH';
  if (suite.keyExchange === 'ECDHE' || (suite.keyExchange === 'ECDH' && anonymous)) return 'ECDH';
  return undefined;
}

function describeAccepted(code: number, answer: ServerAnswer & { kind: 'server-hello' }): AcceptedSuite {
  const suite = cipherSuiteByCode(code);
  if (!suite) return { code: formatSuiteCode(code), iana: 'unknown', forwardSecrecy: false, weaknesses: [] };
  return {
    code: formatSuiteCode(code),
    iana: suite.iana,
    ...(suite.openssl ? { openssl: suite.openssl } : {}),
    forwardSecrecy: suite.forwardSecrecy,
    weaknesses: [...suite.weaknesses],
    ...groupOf(answer),
  };
}

function groupOf(answer: ServerAnswer & { kind: 'server-hello' }): Pick<AcceptedSuite, 'group' | 'keyExchangeGroup' | 'groupUnreadable' | 'groupNote'> {
  if (answer.version >= WIRE_VERSION['TLSv1.3']) {
    if (answer.keyShareGroup === undefined) return { groupUnreadable: 'the TLS 1.3 ServerHello carries no key_share' };
    const group = groupByCode(answer.keyShareGroup);
    return {
      group: describeGroup(group),
      keyExchangeGroup: group,
      ...(answer.helloRetryRequest ? { groupNote: `the server asked for a ${describeGroup(group)} key share (HelloRetryRequest)` } : {}),
    };
  }
  const reading = answer.keyExchange;
  if (reading === undefined) return {};
  if (reading.kind !== 'read') return { groupUnreadable: reading.kind === 'unreadable' ? reading.reason : 'the ServerKeyExchange did not arrive' };
  const group = reading.group;
  const ownPrime = group.family === 'DH' && !group.knownAs?.startsWith('ffdhe');
  return {
    group: describeGroup(group),
    keyExchangeGroup: group,
    ...(ownPrime ? { groupNote: 'RFC 7919 groups were offered; the server sent its own prime' } : {}),
  };
}

function describeWireVersion(wire: number): string {
  const known = TLS_VERSIONS.find((version) => WIRE_VERSION[version] === wire);
  if (known) return displayVersion(known);
  return wire === 0x0300 ? 'SSL 3.0' : `version 0x${wire.toString(16).padStart(4, '0')}`;
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
