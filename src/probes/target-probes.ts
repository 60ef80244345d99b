import { createHash } from 'node:crypto';
import { endpointOf, type Target } from '../targets/target.js';
import { passwordFor } from '../targets/secret-store.js';
import { handshake, type HandshakeResult } from '../tls/handshake.js';
import { TLS_VERSIONS, type TlsVersion } from '../tls/versions.js';
import { loadTrustBundle, type TrustBundle } from '../tls/certificate/trust-bundle.js';
import { scanCipherSuites, type CipherScanEvidence } from './transport/cipher-scan.js';
import { attemptLogin, describeLoginEnd, type LoginAttemptEvidence, type LoginTransport } from './login/login-attempt.js';
import { askPostgresToAuthenticate } from './login/postgres-startup.js';
import { probeEntraToken, type EntraTokenEvidence } from './identity/entra-token-probe.js';
import { ACCOUNT_CHECKS } from './account-checks.js';
import type { Finding } from './finding.js';
import { reasonNotApplicable } from '../controls/applicability.js';
import { areaOf } from '../controls/catalogue.js';
import { attemptFromLogin, attemptFromPostgresStartup, type TransportAttempt } from './transport/transport-attempt.js';
import { observeFrom, type VantageObservation } from './network/vantage.js';
import { resolveHost, type ResolutionEvidence } from './network/resolution.js';

/**
 * Everything the harness can do to one target, each observation made once per run and shared by
 * every scenario that needs it (a TLS 1.2 handshake feeds the version control and all certificate
 * controls). Probes never throw for what the server does; they return evidence.
 */
export class TargetProbes {
  private readonly memo = new Map<string, Promise<unknown>>();
  private prefetched = false;

  constructor(readonly target: Target) {}

  private once<T>(key: string, probe: () => Promise<T>): Promise<T> {
    let pending = this.memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = probe();
      this.memo.set(key, pending);
    }
    return pending;
  }

  /** Every transport observation at once: on a forking server (PostgreSQL) each connection costs a process start. */
  private prefetchTransport(): void {
    void Promise.allSettled([
      this.allHandshakes(),
      this.cipherSuites(),
      this.sessionOver('plaintext'),
      this.sessionOver('tls'),
      this.trustBundle(),
      this.login('tls'),
    ]);
  }

  handshake(version: TlsVersion): Promise<HandshakeResult> {
    return this.once(`handshake:${version}`, () => handshake(endpointOf(this.target), { version, host: this.target.host }));
  }

  /** All versions, concurrently; used to corroborate that a silent close is a refusal. */
  allHandshakes(): Promise<HandshakeResult[]> {
    return Promise.all(TLS_VERSIONS.map((version) => this.handshake(version)));
  }

  cipherSuites(): Promise<CipherScanEvidence> {
    return this.once('cipher-scan', () => scanCipherSuites(endpointOf(this.target), [...TLS_VERSIONS], { servername: this.target.host }));
  }

  trustBundle(): Promise<TrustBundle> {
    return this.once('trust-bundle', () => loadTrustBundle(this.target.caFile));
  }

  /** The finding of one authentication or access control, made once per run. */
  accountCheck(controlId: string): Promise<Finding> {
    return this.once(`account:${controlId}`, () => ACCOUNT_CHECKS[controlId]({ target: this.target, loginTransport: () => this.loginTransport(), login: (transport) => this.login(transport) }));
  }

  /**
   * Starts the probes of every selected control that applies to this target, once: on a forking
   * server, or one that delays failed logins, they overlap instead of queueing.
   */
  prefetch(selectedControls: readonly string[]): void {
    if (this.prefetched) return;
    this.prefetched = true;
    const applicable = selectedControls.filter((id) => reasonNotApplicable(id, this.target) === undefined);
    if (applicable.some((id) => areaOf(id) === 'transport')) this.prefetchTransport();
    const accountChecks = applicable.filter((id) => id in ACCOUNT_CHECKS && (id !== 'access.masking' || this.target.masking));
    void Promise.allSettled(accountChecks.map((id) => this.accountCheck(id)));
  }

  /**
   * How account probes log in: over TLS when the server completes any TLS handshake, else in
   * plaintext (a server without TLS leaves no choice; the transport controls judge that).
   */
  loginTransport(): Promise<LoginTransport> {
    return this.once('login-transport', async () => ((await this.allHandshakes()).some((result) => result.evidence.outcome === 'accepted') ? 'tls' : 'plaintext'));
  }

  /** Undefined when the target has no account or password configured. */
  login(transport: LoginTransport): Promise<LoginAttemptEvidence | undefined> {
    return this.once(`login:${transport}`, async () => {
      const password = passwordFor(this.target.name);
      if (!this.target.user || password === undefined) return undefined;
      return attemptLogin(this.target, { user: this.target.user, password }, transport);
    });
  }

  /** Token logins for the declared Entra principal (valid, tampered, expired); made once per run. */
  entraToken(): Promise<EntraTokenEvidence> {
    return this.once('entra-token', () => probeEntraToken(this.target));
  }

  /**
   * How far the configured account gets over one transport. PostgreSQL decides from pg_hba before
   * any password is sent, so its probe sends none; MySQL needs a real login.
   */
  sessionOver(transport: LoginTransport): Promise<TransportAttempt> {
    return this.once(`session:${transport}`, async () => {
      if (this.target.engine === 'mysql') return attemptFromLogin(transport, await this.login(transport));
      const user = this.target.user ?? 'postgres';
      const evidence = await askPostgresToAuthenticate(endpointOf(this.target), {
        user,
        database: this.target.database ?? user,
        transport,
        host: this.target.host,
      });
      return attemptFromPostgresStartup(evidence);
    });
  }

  /** The server as seen from each declared vantage point, all at once; empty when none are declared. */
  vantageObservations(): Promise<VantageObservation[]> {
    return this.once('vantage-points', () => Promise.all((this.target.network?.from ?? []).map((point) => observeFrom(point, this.target))));
  }

  /** Every address the target's host name resolves to, through its declared resolver or the system's. */
  resolution(): Promise<ResolutionEvidence> {
    return this.once('resolution', () => resolveHost(this.target.host, this.target.network?.resolver, this.target.timeoutMs));
  }

  /**
   * The server's version: reported after a TLS login with the configured account (the login the
   * run made, or one made now), else from MySQL's greeting; empty when neither is available.
   */
  async serverVersion(): Promise<{ version?: string; versionSource?: string; loginProblem?: string }> {
    const login = await this.login('tls');
    if (login?.serverVersion) return { version: login.serverVersion, versionSource: 'reported by the server after a TLS login' };
    const loginProblem = login && login.outcome !== 'accepted'
      ? `TLS login as "${login.user}" failed: ${describeLoginEnd(login)}`
      : undefined;
    for (const version of TLS_VERSIONS) {
      const greeting = ((await this.memo.get(`handshake:${version}`)) as HandshakeResult | undefined)?.evidence.serverGreeting;
      if (greeting) return { version: greeting, versionSource: 'MySQL greeting, sent before login', loginProblem };
    }
    return { loginProblem };
  }

  /**
   * SHA-256 of the leaf certificate from a handshake the run already made (newest version first);
   * undefined when none completed or none was made, so this never opens a connection of its own.
   */
  async certificateSha256(): Promise<string | undefined> {
    for (const version of [...TLS_VERSIONS].reverse()) {
      const handshake = (await this.memo.get(`handshake:${version}`)) as HandshakeResult | undefined;
      const leaf = handshake?.evidence.outcome === 'accepted' ? handshake.peerChain[0] : undefined;
      if (leaf) return createHash('sha256').update(leaf).digest('hex');
    }
    return undefined;
  }
}
