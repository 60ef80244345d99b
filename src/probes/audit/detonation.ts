import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import type { Target } from '../../targets/target.js';
import { redact } from '../../report/redact.js';
import { attemptLogin, IDENTITY_ONLY, type LoginAttemptEvidence, type LoginTransport } from '../../sessions/login-attempt.js';
import type { SessionOptions } from '../../sessions/sql-session.js';
import type { LogReader } from './log-reader.js';

/**
 * "Detonate, then verify": make something happen on the server that a detector must see (failed
 * logins with a run-scoped marker user name), then look for it where the detector writes. The
 * pieces are separate so that later checks (Defender's alerts) reuse them.
 */

/** The most logins one detonation makes: enough for a detector's threshold, never a flood. */
export const MAX_DETONATION_LOGINS = 20;

/** A login name that exists nowhere, unique to this run: `dbc_probe_<12 hex digits>`. */
export function newMarker(): string {
  return `dbc_probe_${randomBytes(6).toString('hex')}`;
}

export interface DetonatedLogin {
  user: string;
  /** Harness clock when the attempt started. */
  at: string;
  transport: LoginTransport;
  outcome: LoginAttemptEvidence['outcome'];
  serverCode?: string;
  elapsedMs: number;
}

const REFUSED = new Set(['refused-by-authentication', 'refused-by-policy', 'locked']);

/**
 * `count` failed logins as `user` with throwaway wrong passwords (never a real one). Over TLS, so
 * that a server requiring TLS authenticates the attempt; where TLS cannot be had at all, in
 * plaintext. One after the other by default, as a pattern a detector counts; `concurrently` when
 * only the log lines matter: a server that delays each failed login (auth_delay) then costs one
 * delay, not `count`.
 */
export async function failLogins(target: Target, user: string, count: number, options: { concurrently?: boolean } = {}): Promise<DetonatedLogin[]> {
  const bounded = Math.min(Math.max(1, Math.floor(count)), MAX_DETONATION_LOGINS);
  const attempt = async (): Promise<DetonatedLogin> => {
    const wrongPassword = `wrong-${randomBytes(9).toString('hex')}`;
    const overTls = await timedLogin(target, user, wrongPassword, 'tls', THROWAWAY);
    if (!REFUSED.has(overTls.outcome) && (overTls.outcome === 'error' || overTls.outcome === 'timed-out')) {
      return timedLogin(target, user, wrongPassword, 'plaintext', THROWAWAY);
    }
    return overTls;
  };
  if (options.concurrently) return Promise.all(Array.from({ length: bounded }, attempt));
  const attempts: DetonatedLogin[] = [];
  for (let index = 0; index < bounded; index++) attempts.push(await attempt());
  return attempts;
}

/**
 * The brute-force pattern a detector should flag: `failures` wrong passwords for one sacrificial
 * account, then one login with its right password. Intrusive (the account may lock), so callers
 * must run it only on targets that opted in; bounded by MAX_DETONATION_LOGINS.
 */
export async function bruteForce(target: Target, account: { user: string; password: string }, failures: number): Promise<{ failures: DetonatedLogin[]; success: DetonatedLogin }> {
  if (!target.intrusive) throw new Error(`the brute-force pattern is intrusive; target "${target.name}" has not opted in (--intrusive or intrusive: true)`);
  const failed = await failLogins(target, account.user, Math.min(failures, MAX_DETONATION_LOGINS - 1));
  const transport = failed.find((attempt) => REFUSED.has(attempt.outcome))?.transport ?? 'tls';
  const success = await timedLogin(target, account.user, account.password, transport);
  return { failures: failed, success };
}

/**
 * How a detonation's wrong passwords may travel: random strings that open nothing, so they may go
 * in cleartext inside TLS when the server asks for mysql_clear_password (MariaDB with a PAM plugin
 * asks so for an unknown user name); without that the client would give up before the server has
 * refused, and logged, anything. A real password (the brute-force success) never goes this way.
 */
const THROWAWAY: SessionOptions = { ...IDENTITY_ONLY, cleartext: 'over-tls' };

async function timedLogin(target: Target, user: string, password: string, transport: LoginTransport, options: SessionOptions = IDENTITY_ONLY): Promise<DetonatedLogin> {
  const at = new Date().toISOString();
  const attempt = await attemptLogin(target, { user, password }, transport, options);
  return { user, at, transport, outcome: attempt.outcome, serverCode: attempt.serverCode, elapsedMs: attempt.elapsedMs };
}

/** One log line that names the marker, as shown in evidence (redacted, cut to a readable length). */
export interface MarkerLine {
  line: string;
  /** Addresses the line names (IPv4, or IPv6 with "::"), for the source-address requirement. */
  addresses: string[];
  /** Host names the line gives as the marker's client, where the server logs names it resolved; absent in evidence from before. */
  hostNames?: string[];
  /** Harness clock at the poll that first returned the line. */
  seenAt: string;
}

export interface MarkerSearch {
  found: MarkerLine[];
  polls: number;
  waitedMs: number;
  timeoutMs: number;
}

const MAX_LINES_SHOWN = 10;
const MAX_LINE_CHARS = 500;
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2000;

/**
 * Polls the source for lines naming `marker` written after `since`, with doubling delays, until
 * one appears or `timeoutMs` has passed. A poll that cannot read the source throws, and so does
 * an aborted signal (the check's time budget is spent): no more polls after that.
 */
export async function awaitMarker<Position>(source: LogReader<Position>, since: Position, marker: string, timeoutMs: number, signal?: AbortSignal): Promise<MarkerSearch> {
  const started = performance.now();
  let delay = FIRST_DELAY_MS;
  let polls = 0;
  for (;;) {
    signal?.throwIfAborted();
    polls++;
    const text = await source.readSince(since);
    const seenAt = new Date().toISOString();
    const found = linesNaming(text, marker, seenAt);
    const waitedMs = Math.round(performance.now() - started);
    if (found.length > 0 || waitedMs >= timeoutMs) return { found, polls, waitedMs, timeoutMs };
    await sleep(Math.min(delay, Math.max(0, timeoutMs - waitedMs)), undefined, { signal });
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

/**
 * The lines naming the marker, through the redaction gate: a log line may hold a password that
 * someone typed as a user name, or the run's own secrets.
 */
export function linesNaming(text: string, marker: string, seenAt: string): MarkerLine[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.includes(marker))
    .slice(0, MAX_LINES_SHOWN)
    .map((line) => {
      const shown = redact(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}...` : line);
      return { line: shown, addresses: addressesIn(line), hostNames: hostNamesIn(line, marker), seenAt };
    });
}

const IPV4 = /(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\d.])/g;
const IPV6_COMPRESSED = /(?<![\w:])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:])/gi;

/**
 * PostgreSQL's DETAIL of a refused login quotes the pg_hba rule it matched ("Connection matched
 * pg_hba.conf line 5: "host all all 127.0.0.1/32 scram-sha-256"", PostgreSQL 16 names the file):
 * in csvlog and jsonlog that quote shares the record's one line. It names what the rule allows,
 * not who connected. JSON escapes its quotes.
 */
const PG_HBA_RULE_QUOTE = /Connection matched (?:file \\?"[^"\\]*\\?" |pg_hba\.conf )line \d+: \\?".*?\\?"(?=\W*$|[,}\]])/g;
/** An address followed by a mask length is a network, not a client. */
const CIDR_MASK = /^\/\d/;

/**
 * The header a syslog daemon or journalctl puts before each message: a time, the name (or, for a
 * message forwarded from a host it cannot name, the address) of the machine that logged it, and the
 * program's tag ("May  1 12:00:00 db1 postgres[123]: ", rsyslog's and journalctl's ISO forms,
 * journalctl's short-full and short-unix, RFC 5424's "<134>1 TIME HOST APP PROCID MSGID "). That
 * machine is the server's, and a harness reading its log usually runs there too: its own address
 * resolves to the very same name, though the message itself may name no client at all.
 */
const SYSLOG_HEADER = new RegExp(
  [
    String.raw`^(?:<\d{1,3}>1 \S+ \S+ \S+ \S+ \S+ `, // RFC 5424
    String.raw`|(?:<\d{1,3}>)?(?:[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)?`, // "May  1 12:00:00[.123456]"
    // ISO with a "T" and a zone, or journalctl's "Wed 2026-05-01 12:00:00 UTC": never PostgreSQL's own %m or %t.
    String.raw`|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})`,
    String.raw`|[A-Z][a-z]{2} \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [A-Z][A-Za-z]{1,4}`,
    String.raw`|\d{9,}\.\d+)`, // seconds since 1970
    // The host (a name or an address), then the tag: "postgres[123]: ". A log_line_prefix such as
    // '%m [%p] ' puts "[pid]" where the host would stand, so it never passes for a header.
    String.raw` +(?:[\w.-]+|[\dA-Fa-f]*:[\dA-Fa-f:]*) +[^\s:[\]]+(?:\[\d+\])?: )`,
  ].join(''),
);

/** What of a line may name the client: without a syslog header's host or a pg_hba rule's quote. */
const clientPart = (line: string): string => line.replace(SYSLOG_HEADER, '').replace(PG_HBA_RULE_QUOTE, '');

/** The client addresses a log line names: IPv4, or IPv6 with "::"; never a syslog header's host, a pg_hba rule's quote or a network with its mask. */
export function addressesIn(line: string): string[] {
  const text = clientPart(line);
  const outsideNetworks = (match: RegExpMatchArray) => !CIDR_MASK.test(text.slice(match.index! + match[0].length));
  const found = [...text.matchAll(IPV4)].filter(outsideNetworks).map((match) => match[0]);
  for (const match of text.matchAll(IPV6_COMPRESSED)) if (match[0].includes('::') && match[0].length > 2 && outsideNetworks(match)) found.push(match[0]);
  return [...new Set(found)];
}

/**
 * Whether a line names `hostName` (what this harness's address resolves to) as a whole word,
 * outside a syslog header and a pg_hba rule's quote: PostgreSQL with log_hostname on writes the
 * client's name where %h or %r stands in log_line_prefix, or in csvlog's and jsonlog's client fields.
 */
export function namesHost(line: string, hostName: string): boolean {
  const escaped = hostName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.-])${escaped}(?![\\w-]|\\.\\w)`, 'i').test(clientPart(line));
}

/**
 * The client host a MySQL/MariaDB line names for the marker user, where it is a name rather than an
 * address: a server that resolves client addresses (skip_name_resolve OFF, as Debian ships
 * MariaDB) writes "Access denied for user 'marker'@'localhost'" in its error log, and server_audit
 * writes "…,host,marker,localhost,…". Only these two forms, tied to the marker itself: a name
 * elsewhere in a line may be anything.
 */
export function hostNamesIn(line: string, marker: string): string[] {
  const escaped = marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [new RegExp(`'${escaped}'@'([^']+)'`, 'g'), new RegExp(`,${escaped},([^,\\s]+),`, 'g')];
  const names = patterns.flatMap((pattern) => [...line.matchAll(pattern)].map((match) => match[1]));
  return [...new Set(names.filter((name) => name !== '%' && addressesIn(name).length === 0 && !/^[\d.:]+$/.test(name)))];
}
