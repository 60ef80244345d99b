import { createHash } from 'node:crypto';
import { endpointOf, type Target, type TlsNegotiation } from '../targets/target.js';
import { probeDirectTls, type DirectTlsEvidence } from '../tls/direct-tls.js';
import { passwordFor } from '../targets/secret-store.js';
import { handshake, type HandshakeResult } from '../tls/handshake.js';
import { TLS_VERSIONS, type TlsVersion } from '../tls/versions.js';
import { loadTrustBundle, type TrustBundle } from '../tls/certificate/trust-bundle.js';
import { scanCipherSuites, type CipherScanEvidence } from './transport/cipher-scan.js';
import { attemptLogin, describeLoginEnd, type LoginAttemptEvidence, type LoginTransport } from '../sessions/login-attempt.js';
import { CatalogSession } from '../sessions/catalog-session.js';
import { probeEntraToken, type EntraTokenEvidence } from './identity/entra-token-probe.js';
import { EntraTokenSource } from './identity/entra-token-source.js';
import { attemptFromLogin, type TransportAttempt } from './transport/transport-attempt.js';
import { observeFrom, type VantageObservation } from './network/vantage.js';
import { resolveHost, type ResolutionEvidence } from './network/resolution.js';

/**
 * Everything the harness knows and can do about one target during its run: the observations, each
 * made once and shared by every check that needs it (a TLS 1.2 handshake feeds the version control
 * and all certificate controls), the catalog session, and (through control-observation.ts) each
 * control's observation. It owns them all, and `close` ends them together. Probes never throw for what the server does; they
 * return evidence.
 */
export class TargetContext {
  private readonly memo: Map<string, Promise<unknown>>;
  /** The session for catalog and settings reads (auditor, else login account, else Entra principal), shared by every check. */
  readonly catalog: CatalogSession;
  /** The Entra principal's token, shared by the catalog session (on an Entra-only server) and auth.entra-token. */
  private readonly entraTokens: EntraTokenSource;
  private readonly lifetime: AbortController;

  /**
   * `negotiation` is the path to TLS this view's handshakes and scans take: PostgreSQL's SSLRequest
   * (and MySQL's SSL request packet) by default, or direct TLS (see onPath). Views share one memo.
   */
  constructor(
    readonly target: Target,
    shared?: { memo: Map<string, Promise<unknown>>; catalog: CatalogSession; entraTokens: EntraTokenSource; lifetime: AbortController },
    readonly negotiation: TlsNegotiation = 'postgres',
  ) {
    this.memo = shared?.memo ?? new Map();
    this.entraTokens = shared?.entraTokens ?? new EntraTokenSource(target);
    this.catalog = shared?.catalog ?? new CatalogSession(target, this.entraTokens);
    this.lifetime = shared?.lifetime ?? new AbortController();
  }

  /**
   * Aborted when the context is closed: an observation shared by several checks cannot stop at one
   * check's deadline, but it stops asking the server once the target's run is over.
   */
  get closed(): AbortSignal {
    return this.lifetime.signal;
  }

  /** The same context, with handshakes and cipher scans over another path to TLS. */
  onPath(negotiation: TlsNegotiation): TargetContext {
    return negotiation === this.negotiation ? this : new TargetContext(this.target, { memo: this.memo, catalog: this.catalog, entraTokens: this.entraTokens, lifetime: this.lifetime }, negotiation);
  }

  /**
   * PostgreSQL 17+: whether the server also speaks TLS first (direct TLS, ALPN "postgresql"), a
   * second way in that every transport control must judge too. Undefined for MySQL, which has one.
   */
  directTls(): Promise<DirectTlsEvidence | undefined> {
    if (this.target.engine !== 'postgres') return Promise.resolve(undefined);
    return this.once('direct-tls', () => probeDirectTls(endpointOf(this.target), { host: this.target.host }));
  }

  /** Makes an observation once per run, under `key`; later callers share the same promise. */
  once<T>(key: string, probe: () => Promise<T>): Promise<T> {
    let pending = this.memo.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = probe();
      this.memo.set(key, pending);
    }
    return pending;
  }

  /** The observation the run already made under `key`, or undefined; never makes one (for last questions after the run). */
  madeAlready<T>(key: string): Promise<T> | undefined {
    return this.memo.get(key) as Promise<T> | undefined;
  }

  handshake(version: TlsVersion): Promise<HandshakeResult> {
    const negotiation = this.negotiation;
    return this.once(`handshake:${negotiation}:${version}`, () => handshake(endpointOf(this.target), { version, host: this.target.host, negotiation }));
  }

  /** All versions, concurrently; used to corroborate that a silent close is a refusal. */
  allHandshakes(): Promise<HandshakeResult[]> {
    return Promise.all(TLS_VERSIONS.map((version) => this.handshake(version)));
  }

  cipherSuites(): Promise<CipherScanEvidence> {
    const negotiation = this.negotiation;
    return this.once(`cipher-scan:${negotiation}`, () => scanCipherSuites(endpointOf(this.target), [...TLS_VERSIONS], { servername: this.target.host, negotiation }));
  }

  trustBundle(): Promise<TrustBundle> {
    return this.once('trust-bundle', () => loadTrustBundle(this.target.caFile));
  }

  /** Ends everything the context opened: observations still running stop, and the catalog session closes. */
  async close(): Promise<void> {
    this.lifetime.abort();
    await this.catalog.close();
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
    return this.once('entra-token', () => probeEntraToken(this.target, this.closed, this.entraTokens));
  }

  /**
   * MySQL: how far the configured account gets over one transport (a real login; the server decides
   * only then). PostgreSQL's answer comes from every login path instead (auth/login-paths.ts).
   */
  sessionOver(transport: LoginTransport): Promise<TransportAttempt> {
    return this.once(`session:${transport}`, async () => attemptFromLogin(transport, await this.login(transport)));
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
      const greeting = ((await this.memo.get(`handshake:postgres:${version}`)) as HandshakeResult | undefined)?.evidence.serverGreeting;
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
      const handshake = (await this.memo.get(`handshake:postgres:${version}`)) as HandshakeResult | undefined;
      const leaf = handshake?.evidence.outcome === 'accepted' ? handshake.peerChain[0] : undefined;
      if (leaf) return createHash('sha256').update(leaf).digest('hex');
    }
    return undefined;
  }
}
