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
  /** log_connections as the server itself reports it (SHOW / the catalog). */
  logConnections?: boolean;
  /** Whether the audit extension or plugin is loaded, as the catalog shows. */
  auditLoaded?: boolean;
}

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
    row(
      'connection logging',
      shown(configured.logConnections, 'log_connections on', 'log_connections off'),
      shown(observed.logConnections, 'the server reports log_connections on', 'the server reports log_connections off'),
      configured.logConnections === undefined || observed.logConnections === undefined ? undefined : configured.logConnections === observed.logConnections,
      'Azure and the server itself disagree on log_connections (a change pending a restart, or a per-role override)',
      ['log_connections'],
    );
  }

  const auditParameter = configured.engine === 'mysql' ? 'audit_log_enabled' : 'pgaudit in shared_preload_libraries';
  row(
    'audit logging',
    shown(configured.auditEnabled, `${auditParameter}: on`, `${auditParameter}: off`),
    shown(observed.auditLoaded, 'the audit extension is loaded', 'the audit extension is not loaded'),
    configured.auditEnabled === undefined || observed.auditLoaded === undefined ? undefined : configured.auditEnabled === observed.auditLoaded,
    configured.auditEnabled ? 'Azure says auditing is on, yet the server has no audit extension loaded' : 'Azure says auditing is off, yet the server has an audit extension loaded',
    [configured.engine === 'mysql' ? 'audit_log_enabled' : 'shared_preload_libraries'],
  );
  return rows;
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
 * (log_connections, the audit extension) come from the catalog checks' evidence; pass them in.
 */
export async function observedBehaviour(source: BehaviourSource, fromCatalog: Pick<ObservedBehaviour, 'logConnections' | 'auditLoaded'> = {}): Promise<ObservedBehaviour> {
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
