import type { LabHandle } from './lab-handle.js';
import type { NetworkDeclaration } from './network-declaration.js';

/** The server under test, as the harness dials it. Secrets are never part of a Target: see secret-store.ts. */
export type Engine = 'postgres' | 'mysql';

export type ProfileName = 'baseline' | 'strict';

export interface Target {
  /** Unique within a run; names the report folder and every result row. */
  name: string;
  engine: Engine;
  /** Host name or address exactly as dialled; the certificate must name it. */
  host: string;
  port: number;
  /** Account used for login-based checks; its password lives in the secret store under the target name. */
  user?: string;
  database?: string;
  /** PEM bundle of CAs the server certificate must chain to. Absent: Node's default trust store. */
  caFile?: string;
  profile: ProfileName;
  /** Upper bound for any single network operation against this target. */
  timeoutMs: number;
  /** transport.cert-validity fails when fewer days than this remain. */
  minCertDaysLeft: number;
  /** Free text shown in reports, e.g. "local lab server: PostgreSQL 15, configuration hardened". */
  origin?: string;
  /** Opted in to intrusive probes (bursts of failed logins that can lock accounts or fill logs). */
  intrusive?: boolean;
  /** Read-only account for catalog checks; absent, the login account reads the catalog. */
  auditor?: string;
  /**
   * PostgreSQL: at most this many startup messages (role x database x connection kind x transport)
   * when mapping the login paths; past it, the login-path controls are undecided. Default DEFAULT_MAX_LOGIN_PATHS.
   */
  maxLoginPaths?: number;
  /** access.time-bound: a person's expiry further out than this many days is standing access. Default DEFAULT_MAX_ACCESS_DAYS (366). */
  maxAccessDays?: number;
  /**
   * backup.pitr-ready (MySQL/MariaDB): the binary log must be kept at least this many days before the
   * server purges it. Default: the backup retention the profile asks (MINIMUM_RETENTION_DAYS).
   */
  minBinaryLogDays?: number;
  /** Sacrificial account for auth.lockout: the harness never tries to lock the application account. */
  lockoutUser?: string;
  /** The role access.masking reads as, and the sensitive columns as schema.table.column. */
  masking?: MaskingDeclaration;
  /** Accounts the catalog checks accept by declaration. */
  allow?: AccountAllowLists;
  /** Vantage points, access model and resolver for the network controls (config file only). */
  network?: NetworkDeclaration;
  /** The Entra ID principal auth.entra-token logs in as; absent: that control is skipped. */
  entra?: EntraLogin;
  /** Where the server's log or audit trail can be read (audit.failed-logins-recorded); absent: that control is skipped. */
  logs?: LogSourceDeclaration;
  /**
   * PostgreSQL: the `sslnegotiation` the URL named (libpq 17+), recorded as the user's clients
   * connect. It never narrows the probes: dbcomply tries both negotiation paths itself.
   */
  sslNegotiation?: TlsNegotiation;
  /**
   * Present only on a server the harness started itself: its files and its admin's socket. Controls
   * that need the server's files (backup.restore-drill) are skipped on targets without it. Set by
   * the lab (targetForLocalServer), never by the user's configuration.
   */
  lab?: LabHandle;
  /** The server's Azure resource and how to reach Azure Resource Manager; absent: plane controls are skipped. */
  azure?: AzureDeclaration;
  /**
   * Only the Azure plane is assessed: the harness cannot reach the server on the network (no url or
   * host declared), so every control that probes or reads the server is skipped with that reason.
   */
  planeOnly?: boolean;
}

/**
 * How a PostgreSQL client reaches TLS. postgres: the SSLRequest exchange, then TLS (every version).
 * direct: TLS from the first byte, ALPN "postgresql", no SSLRequest (PostgreSQL 17 and later).
 */
export type TlsNegotiation = 'postgres' | 'direct';
export const TLS_NEGOTIATIONS: readonly TlsNegotiation[] = ['postgres', 'direct'];

/**
 * Where the harness reads the server's log or audit trail: files on this machine (a local or lab
 * server, or a mounted log directory), or a command that prints the log (e.g. `journalctl -u
 * postgresql --since -5min`, `az postgres flexible-server server-logs download ...`). Exactly one of
 * the two, or `sql` (see there). A type, not an interface, so that it fits Cucumber's JSON world parameters.
 */
export type LogSourceDeclaration = {
  /** Log or audit files, read whole on each poll. */
  files?: string[];
  /** argv of a command whose standard output is the log; run without a shell. */
  command?: string[];
  /**
   * Read the server's own log over SQL as the auditor (PostgreSQL: pg_read_file on the logging
   * collector's file; MariaDB/MySQL: the mysql.general_log table). Without files or a command the
   * harness tries this anyway; declaring it makes a server that does not offer it undecided, not skipped.
   */
  sql?: boolean;
  /** How long to poll for a line after the detonation (default 15 s): exported logs may lag minutes. */
  waitMs?: number;
};

/**
 * Where a server sits in Azure and how to read it there. The same fields serve sovereign clouds
 * (Azure China, US Government) and the local Azure stand-in: the ARM endpoint, the authority host,
 * the Key Vault DNS suffix and an extra CA. A client secret, if any, lives in the secret store.
 */
export type AzureDeclaration = {
  /** /subscriptions/…/resourceGroups/…/providers/Microsoft.DBforPostgreSQL|Microsoft.DBforMySQL/flexibleServers/<name> */
  resourceId: string;
  tenantId?: string;
  clientId?: string;
  /** Default https://login.microsoftonline.com. */
  authorityHost?: string;
  /** Default https://management.azure.com, without a trailing slash. */
  armEndpoint?: string;
  /** Default vault.azure.net (vault.azure.cn, vault.usgovcloudapi.net in sovereign clouds). */
  keyVaultDnsSuffix?: string;
  /** PEM CAs trusted in addition to Node's for ARM, Key Vault and the authority host. */
  caFile?: string;
};

// Type aliases, not interfaces: the Target travels as Cucumber's JSON world parameters.
export type MaskingDeclaration = {
  role: string;
  columns: string[];
};

export type AccountAllowLists = {
  /** Service accounts: access.time-bound expects expiry only of the others (people). */
  workload?: string[];
  /** Non-admin accounts allowed to hold the rights access.least-privilege looks for. */
  privileged?: string[];
  /** Accounts allowed at host '%'. */
  wildcardHosts?: string[];
};

/**
 * How to get an Entra ID token for the OSS RDBMS scope and whom it logs in as. A client secret,
 * if any, lives in the secret store under the target name. A type, not an interface, so that it
 * fits Cucumber's JSON world parameters.
 */
export type EntraLogin = {
  /** The role (PostgreSQL) or account (MySQL) of the Entra principal on the server. */
  user: string;
  tenantId?: string;
  clientId?: string;
  /** Default: Entra ID's public cloud. Anything else is not Entra ID, and reports say so. */
  authorityHost?: string;
  /** PEM bundle of CAs the authority host's certificate must chain to. Absent: Node's default trust store. */
  caFile?: string;
  /** How long the probe may wait for the token to expire to see an expired token refused; 0: it does not wait. */
  expiryWaitMs: number;
};

export interface Endpoint {
  engine: Engine;
  host: string;
  port: number;
  timeoutMs: number;
  /** Local address to bind the client socket to (a vantage point); absent: the route's default. */
  localAddress?: string;
}

export function endpointOf(target: Target): Endpoint {
  return { engine: target.engine, host: target.host, port: target.port, timeoutMs: target.timeoutMs };
}

export const DEFAULT_TIMEOUT_MS = 5000;
/**
 * The longest timeout a target may declare: 10 minutes for one network operation. A read's budget
 * is 30 timeouts, and Node's timers hold at most 2^31-1 ms (24.8 days); beyond that a timer fires
 * after 1 ms (TimeoutOverflowWarning), so every probe would time out at once.
 */
export const MAX_TIMEOUT_MS = 600_000;
export const DEFAULT_MIN_CERT_DAYS_LEFT = 30;
/** Enough for 40 roles x 4 databases over both transports with replication; each is one backend start. */
export const DEFAULT_MAX_LOGIN_PATHS = 600;
