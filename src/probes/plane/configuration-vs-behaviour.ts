import { displayVersion, TLS_VERSIONS, type TlsVersion } from '../../tls/versions.js';
import type { ConfiguredSecurity } from './configured-security.js';

/**
 * What the probes saw the server do, in the terms the configuration speaks. Each field is optional:
 * what was not observed in this run is not compared.
 */
export interface ObservedBehaviour {
  /** Per TLS version: whether a client offering only that version completed a handshake. */
  tlsHandshake?: Partial<Record<TlsVersion, boolean>>;
  /** Whether the application account logged in without TLS (transport.tls-required's probe). */
  plaintextLoginAccepted?: boolean;
  /** Whether a local account logged in with its password (auth.password-disabled's probe). */
  passwordLoginAccepted?: boolean;
  /** PostgreSQL: what connection lines the server writes, from its own settings (audit.connections-logged's read). */
  logConnections?: ObservedConnectionLogging;
  /** Whether the server's audit trail is writing, from its own settings (audit.audit-extension's read). */
  audit?: ObservedAudit;
}

/** Why a setting the server reports is not known: the catalog could not be read, or a value is hidden. */
export interface NotKnown {
  unknown: string;
}

/**
 * log_connections as the server runs it: every value in effect (the server's own and each per-role
 * or per-database override, as the check judges them), each as the aspects it logs, and whether
 * the lines reach the log at all.
 */
export type ObservedConnectionLogging =
  | {
      values: Array<{ aspects: string[]; described: string }>;
      /** Why the server-wide value, or some role's, could not be seen. */
      hidden?: string;
      /** Whether connection lines are written: log_min_messages that drops LOG, or log_destination '', writes none. */
      written: { yes: string } | { no: string; forEverySession: boolean } | NotKnown;
    }
  | NotKnown;

/**
 * Whether the audit extension or plugin is writing, not merely loaded: for every session, for none,
 * or for some only (a per-role pgaudit.log = 'none', say); `described` says what was seen.
 */
export type ObservedAudit = { writing: 'all' | 'none' | 'some'; described: string } | NotKnown;

/** One aspect, side by side: what Azure says, what the server did, and whether they agree. */
export interface ConfigurationComparison {
  aspect: string;
  configured: string;
  observed: string;
  /** undefined when either side is unknown: nothing to compare, never an agreement. */
  agrees: boolean | undefined;
  /** The disagreement in an auditor's words, when they disagree. */
  finding?: string;
  /**
   * Why Azure's value is not what the server runs with now (a static parameter set and pending a
   * restart, or a MySQL currentValue that differs): the row is then not compared, since the value
   * describes the server after its next restart, and the behaviour the one before it.
   */
  notInEffect?: string;
}

const shown = (value: boolean | undefined, yes: string, no: string) => (value === undefined ? 'not known' : value ? yes : no);

/**
 * Compares Azure's configuration with the observed behaviour, aspect by aspect. Pure. A
 * disagreement is a finding of its own, whatever each side's own control concludes: a server that
 * accepted TLS 1.0 while ARM says TLS 1.2 minimum means the configuration is not what runs.
 */
export function compareConfigurationWithBehaviour(configured: ConfiguredSecurity, observed: ObservedBehaviour): ConfigurationComparison[] {
  const rows: ConfigurationComparison[] = [];
  const row = (aspect: string, configuredText: string, observedText: string, agrees: boolean | undefined, finding: string, parameters: string[] = []) => {
    const pending = parameters.find((name) => configured.notInEffect[name] !== undefined);
    if (pending) {
      const notInEffect = `${pending} ${configured.parameters[pending]} is ${configured.notInEffect[pending]}, so not compared with what the server does now`;
      rows.push({ aspect, configured: `${configuredText} (not in force: ${configured.notInEffect[pending]})`, observed: observedText, agrees: undefined, notInEffect });
      return;
    }
    rows.push({ aspect, configured: configuredText, observed: observedText, agrees, ...(agrees === false ? { finding } : {}) });
  };

  const plaintext = observed.plaintextLoginAccepted;
  row(
    'TLS required',
    shown(configured.requireSecureTransport, 'require_secure_transport on', 'require_secure_transport off'),
    shown(plaintext, 'a login without TLS was accepted', 'a login without TLS was refused'),
    configured.requireSecureTransport === undefined || plaintext === undefined ? undefined : configured.requireSecureTransport !== plaintext,
    configured.requireSecureTransport ? 'Azure says TLS is required, yet the server accepted a login without TLS' : 'Azure says TLS is optional, yet the server refused a login without TLS',
    ['require_secure_transport'],
  );

  for (const version of TLS_VERSIONS) {
    const accepted = observed.tlsHandshake?.[version];
    const allowed = configured.allowedTls ? configured.allowedTls.includes(version) : undefined;
    const parameter = configured.engine === 'mysql' ? 'tls_version' : 'ssl_min_protocol_version';
    row(
      `${displayVersion(version)} handshake`,
      allowed === undefined ? `${parameter} not known` : `${parameter} ${configured.parameters[parameter]}: ${allowed ? 'allowed' : 'not allowed'}`,
      shown(accepted, 'completed', 'refused'),
      allowed === undefined || accepted === undefined ? undefined : allowed === accepted,
      allowed ? `Azure allows ${displayVersion(version)}, yet the server refused it` : `Azure does not allow ${displayVersion(version)}, yet the server completed a ${displayVersion(version)} handshake`,
      [parameter],
    );
  }

  const password = observed.passwordLoginAccepted;
  row(
    'Entra-only authentication',
    shown(configured.entraOnly, 'Entra-only (password authentication disabled)', 'password authentication allowed'),
    shown(password, 'a password login was accepted', 'a password login was refused'),
    configured.entraOnly === undefined || password === undefined ? undefined : configured.entraOnly ? !password : undefined,
    'Azure says only Entra ID tokens are accepted, yet a local account logged in with its password',
    // PostgreSQL's switch is the server's authConfig, not a parameter: it has no pending state.
    configured.engine === 'mysql' ? ['aad_auth_only'] : [],
  );

  if (configured.engine === 'postgres') {
    const connections = compareConnectionLogging(configured, observed.logConnections);
    row('connection logging', connections.configured, connections.observed, connections.agrees, connections.finding, ['log_connections']);
  }

  const audit = compareAudit(configured, observed.audit);
  row('audit logging', audit.configured, audit.observed, audit.agrees, audit.finding, configured.engine === 'mysql' ? ['audit_log_enabled'] : ['shared_preload_libraries', 'pgaudit.log']);
  return rows;
}

interface Compared {
  configured: string;
  observed: string;
  agrees: boolean | undefined;
  finding: string;
}

const notKnown = (side: NotKnown | undefined) => (side ? `not known: ${side.unknown}` : 'not known');
const aspectsText = (aspects: readonly string[]) => (aspects.length === 0 ? 'nothing' : aspects.join(', '));

/**
 * Azure's log_connections against every value the server runs with. They agree only when each value
 * in effect logs the same aspects as Azure's (PostgreSQL 18's 'on' and
 * 'receipt,authentication,authorization' are one), and, where Azure's logs anything, the lines
 * reach the log. A value that differs is a disagreement even when another is hidden.
 */
export function compareConnectionLogging(configured: ConfiguredSecurity, observed: ObservedConnectionLogging | undefined): Compared {
  const aspects = configured.logConnections;
  const parameter = configured.parameters.log_connections;
  const configuredText =
    aspects !== undefined ? `log_connections '${parameter}': logs ${aspectsText(aspects)}` : parameter !== undefined ? `log_connections '${parameter}' (not a value PostgreSQL takes)` : 'log_connections not known';
  if (observed === undefined || 'unknown' in observed) return { configured: configuredText, observed: notKnown(observed), agrees: undefined, finding: '' };
  const written = 'yes' in observed.written ? `; ${observed.written.yes}` : 'no' in observed.written ? `; but ${observed.written.no}` : `; whether lines are written is not known: ${observed.written.unknown}`;
  const observedText = `${observed.values.map((value) => `${value.described}: logs ${aspectsText(value.aspects)}`).join('; ')}${observed.hidden ? `; ${observed.hidden}` : ''}${written}`;
  const answer = (agrees: boolean | undefined, finding = '') => ({ configured: configuredText, observed: observedText, agrees, finding });
  if (aspects === undefined) return answer(undefined);
  const wanted = aspects.join(',');
  const differing = observed.values.filter((value) => [...value.aspects].sort().join(',') !== wanted);
  if (differing.length > 0) return answer(false, `Azure says log_connections '${parameter}' (logs ${aspectsText(aspects)}), yet the server runs ${differing.map((value) => `${value.described} (logs ${aspectsText(value.aspects)})`).join('; ')}`);
  if (observed.hidden) return answer(undefined);
  if (aspects.length === 0) return answer(true);
  if ('no' in observed.written) return answer(false, `Azure says log_connections '${parameter}', and the server runs it, yet it writes no connection line: ${observed.written.no}`);
  if ('unknown' in observed.written) return answer(undefined);
  return answer(true);
}

/**
 * Azure's switch for auditing against whether the server's audit is writing (MariaDB's server_audit
 * loaded with logging OFF, or stopped on a full disk, writes nothing; so does pgaudit with
 * pgaudit.log 'none'). On agrees with writing for every session, off with writing for none;
 * writing for some sessions only agrees with neither.
 */
export function compareAudit(configured: ConfiguredSecurity, observed: ObservedAudit | undefined): Compared {
  const enabled = configured.auditEnabled;
  const configuredText = configured.engine === 'mysql' ? shown(enabled, 'audit_log_enabled on', 'audit_log_enabled off') : `${configuredPgaudit(configured)}: ${shown(enabled, 'auditing on', 'auditing off')}`;
  if (observed === undefined || 'unknown' in observed) return { configured: configuredText, observed: notKnown(observed), agrees: undefined, finding: '' };
  const observedText = `${observed.writing === 'all' ? 'the audit is writing' : observed.writing === 'none' ? 'the audit is not writing' : 'the audit is writing for some sessions only'}: ${observed.described}`;
  if (enabled === undefined) return { configured: configuredText, observed: observedText, agrees: undefined, finding: '' };
  const agrees = enabled ? observed.writing === 'all' : observed.writing === 'none';
  const finding = enabled
    ? `Azure says auditing is on, yet the server's audit ${observed.writing === 'none' ? 'is not writing' : 'writes for some sessions only'}: ${observed.described}`
    : `Azure says auditing is off, yet the server's audit is writing${observed.writing === 'some' ? ' for some sessions' : ''}: ${observed.described}`;
  return { configured: configuredText, observed: observedText, agrees, finding };
}

/** "pgaudit in shared_preload_libraries, pgaudit.log 'DDL,ROLE'", as Azure has it. */
function configuredPgaudit(configured: ConfiguredSecurity): string {
  const libraries = configured.preloadLibraries;
  if (libraries === undefined) return 'shared_preload_libraries not known';
  if (!libraries.includes('pgaudit')) return 'pgaudit not in shared_preload_libraries';
  const log = configured.parameters['pgaudit.log'];
  return `pgaudit in shared_preload_libraries, ${log === undefined ? 'pgaudit.log not known' : `pgaudit.log '${log}'`}`;
}

/**
 * A handshake outcome as a yes/no: "accepted", or "refused" (a TLS alert) and "tls-not-offered".
 * A silent "declined" counts as a refusal only when another version completed on the same server
 * (`corroborated`), as the transport controls judge it; anything else is not known.
 */
export function handshakeAnswer(outcome: string, corroborated = false): boolean | undefined {
  if (outcome === 'accepted') return true;
  if (outcome === 'refused' || outcome === 'tls-not-offered') return false;
  if (outcome === 'declined' && corroborated) return false;
  return undefined;
}

/** What the configuration comparison needs from a target's probes (main's TargetContext has these). */
export interface BehaviourSource {
  allHandshakes(): Promise<Array<{ evidence: { offered: { version: TlsVersion }; outcome: string } }>>;
  login(transport: 'tls' | 'plaintext'): Promise<{ outcome: string } | undefined>;
}

/**
 * The observed side of the comparison, from probes the run makes anyway: one handshake per TLS
 * version and the configured account's logins with and without TLS. The server-side settings
 * (log_connections, the audit extension) come from the catalog checks' evidence
 * (catalog-behaviour.ts); pass them in.
 */
export async function observedBehaviour(source: BehaviourSource, fromCatalog: Pick<ObservedBehaviour, 'logConnections' | 'audit'> = {}): Promise<ObservedBehaviour> {
  const handshakes = await source.allHandshakes();
  const anyAccepted = handshakes.some((result) => result.evidence.outcome === 'accepted');
  const tlsHandshake: Partial<Record<TlsVersion, boolean>> = {};
  for (const result of handshakes) {
    const answer = handshakeAnswer(result.evidence.outcome, anyAccepted);
    if (answer !== undefined) tlsHandshake[result.evidence.offered.version] = answer;
  }
  const [plaintext, tls] = await Promise.all([source.login('plaintext'), source.login('tls')]);
  return { tlsHandshake, plaintextLoginAccepted: loginAnswer(plaintext?.outcome), passwordLoginAccepted: loginAnswer(tls?.outcome), ...fromCatalog };
}

/** A login outcome as a yes/no: accepted, or refused for any reason the server gave; a timeout or error is not known. */
export function loginAnswer(outcome: string | undefined): boolean | undefined {
  if (outcome === 'accepted') return true;
  if (outcome === 'refused-by-policy' || outcome === 'refused-by-authentication' || outcome === 'locked') return false;
  return undefined;
}
