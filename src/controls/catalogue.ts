import type { Engine, ProfileName, Target } from '../targets/target.js';

export interface Control {
  readonly id: string;
  readonly engines: readonly Engine[];
  /** MCSB family, so reports group the way an Azure auditor reads them. */
  mcsb: string;
  /** What must hold for the control to pass, as the report states it. */
  passesWhen: string;
  /** Profiles that require the control; elsewhere it is skipped with `notRequiredBecause`. */
  readonly requiredIn: readonly ProfileName[];
  notRequiredBecause?: Partial<Record<ProfileName, string>>;
  /** Why the control is skipped on an engine outside `engines`, when there is more to say than "does not apply". */
  notOnEngineBecause?: Partial<Record<Engine, string>>;
  /** Could lock an account or flood a log: judged only on targets that opt in (--intrusive, `intrusive: true`). */
  intrusive?: true;
  /** The target asks for the control itself, whatever its profile (e.g. by declaring private access). */
  requiredByTarget?: (target: Target) => boolean;
  /**
   * What the target must declare before the control can be judged at all, like the Azure credentials
   * a plane control needs: without it the control is skipped with this reason, never passed.
   */
  missingDeclaration?: (target: Target) => string | undefined;
  /** Decided on the Azure control plane (ARM, Key Vault), not by reaching the server: judged on plane-only targets too. */
  plane?: true;
}

const BOTH: readonly Engine[] = ['postgres', 'mysql'];
const POSTGRES: readonly Engine[] = ['postgres'];
const MYSQL: readonly Engine[] = ['mysql'];
const ALL_PROFILES: readonly ProfileName[] = ['baseline', 'strict'];

/** From the harness's own address alone, who else can reach the server cannot be shown. */
function vantagePointsMissing(target: Target): string | undefined {
  if (target.network?.from?.length) return undefined;
  return 'declare vantage points (network.from in the config file: a source expected denied and one expected allowed); from the harness\'s own address alone, who else can reach the server cannot be shown';
}

/**
 * audit.failed-logins-recorded needs somewhere to look: the server's log or audit trail, as a file
 * or a command, or the server's own log read over SQL by the auditor. With an account to read the
 * catalog the read asks the server (and skips naming both ways when it does not offer one).
 */
function logSourceMissing(target: Target): string | undefined {
  if (target.logs || target.auditor || target.user) return undefined;
  return "declare where the server's log or audit trail can be read (logs: { file: PATH } or logs: { command: [...] } in the config file), or an auditor allowed to read the server's log over SQL; without a log source a failed login cannot be looked for";
}

/** The restore drill needs the server's files and restarts a copy of it: only a server the harness started itself offers that. */
function labHandleMissing(target: Target): string | undefined {
  if (target.lab) return undefined;
  return "restores need the server's files (a base backup, the WAL archive or binary logs) and a second server to restore into: a lab target only";
}

function azureResourceMissing(target: Target): string | undefined {
  if (target.azure?.resourceId) return undefined;
  return 'declare the server\'s Azure resource (azure.resourceId in the config file); without it the Azure control plane is not read';
}

const NOT_IN_BASELINE_CMK = 'the baseline profile accepts Azure\'s default, encryption at rest with service-managed keys; only strict requires a customer-managed key';

/**
 * The Azure plane controls (seeds 000-003): what only the cloud knows. The customer-managed key
 * details apply in every profile once a key is configured (a bad key makes the server inaccessible
 * whatever the profile); without a key they are skipped and rest.cmk-configured judges that.
 */
const PLANE_CONTROLS = [
  {
    id: 'network.public-access-disabled', engines: BOTH, mcsb: 'NS-2', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'the server\'s publicNetworkAccess is Disabled (reachable only through private access)',
    requiredIn: ['strict'],
    notRequiredBecause: { baseline: 'the baseline profile accepts Azure\'s default, public access behind firewall rules; only strict, or a target declaring network.access: private, requires public access disabled' },
    // A target that declares private access is not private while its public endpoint stays open too.
    requiredByTarget: (target) => target.network?.access === 'private',
  },
  {
    id: 'network.no-open-firewall', engines: BOTH, mcsb: 'NS-1', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'no firewall rule spans the whole IPv4 space and none is the 0.0.0.0 "allow all Azure services" rule',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'rest.cmk-configured', engines: BOTH, mcsb: 'DP-5', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'data encryption uses a customer-managed key in Azure Key Vault (type AzureKeyVault) with a user-assigned identity, and Azure reports neither the key invalid nor the server Inaccessible',
    requiredIn: ['strict'], notRequiredBecause: { baseline: NOT_IN_BASELINE_CMK },
  },
  {
    id: 'rest.cmk-key-requirements', engines: BOTH, mcsb: 'DP-5', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'the key is RSA or RSA-HSM of 2048, 3072 or 4096 bits, enabled, activated in the past, without expiry, with recovery level Recoverable (seed 001\'s list, point by point)',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'rest.cmk-vault-protection', engines: BOTH, mcsb: 'DP-5', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'the key\'s vault has soft delete with 90 days\' retention and purge protection, in the server\'s tenant and region',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'rest.cmk-identity-permissions', engines: BOTH, mcsb: 'DP-5', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'the server\'s user-assigned identity can get, list, wrap and unwrap the key, and nothing more',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'rest.cmk-rotation', engines: POSTGRES, mcsb: 'DP-6', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'the key has a rotation policy with an automatic Rotate action and the server names the key without a version (a version-pinned URI, even the current version, never follows a rotation)',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'rest.cmk-vault-audited', engines: BOTH, mcsb: 'LT-4', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'the key\'s vault sends its AuditEvent logs to a Log Analytics workspace, storage account or event hub through a diagnostic setting',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'backup.retention', engines: BOTH, mcsb: 'BR-1', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'backups are kept at least 7 days (baseline) or at least 35 days (strict)',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'backup.geo-redundant', engines: BOTH, mcsb: 'BR-1', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'geo-redundant backup is enabled (a read replica, which cannot have it, is skipped with that reason)',
    requiredIn: ['strict'],
    notRequiredBecause: { baseline: 'the baseline profile accepts Azure\'s default, locally redundant backup; only strict requires geo-redundant backup' },
  },
  {
    id: 'backup.high-availability', engines: BOTH, mcsb: 'BR-2', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'high availability is on (zone-redundant or same-zone standby) and healthy',
    requiredIn: ['strict'],
    notRequiredBecause: { baseline: 'the baseline profile accepts Azure\'s default, no standby server; only strict requires high availability' },
  },
  {
    id: 'backup.read-replica', engines: BOTH, mcsb: 'BR-2', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'the server has a read replica in another region',
    requiredIn: ['strict'],
    notRequiredBecause: { baseline: 'the baseline profile does not ask for a read replica (Azure creates none by default); only strict requires one in another region' },
  },
  {
    id: 'audit.logs-exported', engines: BOTH, mcsb: 'LT-3', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'a diagnostic setting sends the server\'s logs (PostgreSQL server logs; MySQL audit and slow logs) to a Log Analytics workspace, storage account or event hub, and the server writes them (MySQL audit_log_enabled and slow_query_log ON, not pending a restart)',
    requiredIn: ['strict'],
    notRequiredBecause: { baseline: 'the baseline profile accepts Azure\'s default, logs kept on the server only; only strict requires them exported' },
  },
  {
    id: 'threat.defender-enabled', engines: BOTH, mcsb: 'LT-1', plane: true, missingDeclaration: azureResourceMissing,
    passesWhen: 'Microsoft Defender for open-source relational databases is on for the server (the subscription\'s plan at Standard, or the server\'s advanced threat protection Enabled)',
    requiredIn: ALL_PROFILES,
  },
] as const satisfies readonly Control[];

/** The controls the spec can decide today; the ids are the project's control catalogue ids and never change meaning. */
export const CONTROLS = [
  { id: 'transport.tls-required', engines: BOTH, mcsb: 'DP-3', passesWhen: 'no login without TLS gets as far as authentication (PostgreSQL: on any login path; MySQL: require_secure_transport is ON and the application account is refused without TLS), while logins over TLS get through', requiredIn: ALL_PROFILES },
  { id: 'transport.no-tls1.0', engines: BOTH, mcsb: 'DP-3', passesWhen: 'a client offering only TLS 1.0 cannot complete a handshake', requiredIn: ALL_PROFILES },
  { id: 'transport.no-tls1.1', engines: BOTH, mcsb: 'DP-3', passesWhen: 'a client offering only TLS 1.1 cannot complete a handshake', requiredIn: ALL_PROFILES },
  {
    id: 'transport.tls1.2',
    engines: BOTH,
    mcsb: 'DP-3',
    passesWhen: 'a client offering only TLS 1.2 completes a handshake',
    requiredIn: ['baseline'],
    notRequiredBecause: { strict: 'the strict profile expects TLS 1.3 only; transport.tls1.3-only judges TLS 1.2 there' },
  },
  { id: 'transport.tls1.3', engines: BOTH, mcsb: 'DP-3', passesWhen: 'a client offering only TLS 1.3 completes a handshake', requiredIn: ALL_PROFILES },
  {
    id: 'transport.tls1.3-only',
    engines: BOTH,
    mcsb: 'DP-3',
    passesWhen: 'a client offering only TLS 1.2 is refused (strict profile)',
    requiredIn: ['strict'],
    notRequiredBecause: { baseline: 'the baseline profile allows TLS 1.2 (Azure default minimum); only strict requires TLS 1.3 only' },
  },
  { id: 'transport.strong-ciphers', engines: BOTH, mcsb: 'DP-3', passesWhen: 'no NULL, anonymous, EXPORT, DES, 3DES, RC4 or MD5 suite is accepted, every suite below TLS 1.3 is forward-secret, and every ephemeral key exchange uses at least a 2048-bit DH group or a 256-bit curve', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-trusted', engines: BOTH, mcsb: 'DP-3', passesWhen: 'the certificate chain links to a CA in the configured bundle with valid signatures', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-hostname', engines: BOTH, mcsb: 'DP-3', passesWhen: 'the certificate names the host the client dialled', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-validity', engines: BOTH, mcsb: 'DP-3', passesWhen: 'the certificate is in force and has more than the configured number of days left', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-key', engines: BOTH, mcsb: 'DP-3', passesWhen: 'the certificate key is RSA of at least 2048 bits or EC of at least 256 bits', requiredIn: ALL_PROFILES },
  { id: 'transport.cert-signature', engines: BOTH, mcsb: 'DP-3', passesWhen: 'no presented certificate is signed with SHA-1 or MD5', requiredIn: ALL_PROFILES },
  { id: 'auth.no-passwordless', engines: BOTH, mcsb: 'IM-1', passesWhen: 'no account logs in without a password on any login path (PostgreSQL: every login role x every database, replication included, over TLS and without; MySQL: every account row, at any host)', requiredIn: ALL_PROFILES },
  { id: 'auth.no-anonymous', engines: MYSQL, mcsb: 'IM-1', passesWhen: 'the empty user name, and an unknown user name, cannot log in', requiredIn: ALL_PROFILES },
  { id: 'auth.wrong-password-rejected', engines: BOTH, mcsb: 'IM-1', passesWhen: 'a wrong password is refused with an authentication error within the timeout', requiredIn: ALL_PROFILES },
  { id: 'auth.scram', engines: POSTGRES, mcsb: 'IM-1', passesWhen: 'on every login path (every login role x every database, replication included, over TLS and without, and a made-up role and database) the server asks for SCRAM-SHA-256 or refuses, never MD5 or a cleartext password (a path that asks for nothing is auth.no-passwordless\'s finding)', requiredIn: ALL_PROFILES },
  {
    id: 'auth.strong-plugin',
    engines: MYSQL,
    mcsb: 'IM-1',
    passesWhen: 'every account with a password uses caching_sha2_password or ed25519, never mysql_native_password or mysql_old_password',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'auth.password-disabled',
    engines: BOTH,
    mcsb: 'IM-1',
    passesWhen: 'a local account with the right password is refused (Entra-only authentication)',
    requiredIn: ['strict'],
    notRequiredBecause: { baseline: 'the baseline profile accepts password logins with SCRAM or caching_sha2/ed25519; only strict requires Entra-only' },
  },
  { id: 'auth.lockout', engines: BOTH, mcsb: 'IM-1', passesWhen: 'after a few wrong passwords the account is locked, or the failed attempts are delayed: none answered within a quarter of 250 ms of a right-password login made at the same moment, and most (or, beside only an earlier login, all) at least half of 250 ms later than it', requiredIn: ALL_PROFILES, intrusive: true },
  {
    id: 'auth.no-default-admin',
    engines: BOTH,
    mcsb: 'IM-3',
    passesWhen: 'well-known admin names with common passwords from a short built-in list cannot log in',
    requiredIn: ALL_PROFILES,
    intrusive: true,
  },
  { id: 'access.app-not-superuser', engines: BOTH, mcsb: 'PA-7', passesWhen: 'the application account holds no superuser, SUPER or all-privileges grant, directly or through a role; on MySQL/MariaDB no account of its user name, nor an anonymous account its login may land in, holds what makes an administrator in all but name either (CREATE USER, SET USER, INSERT/UPDATE/DELETE on the mysql system database), nor may any account of its user name EXECUTE an administrator\'s SQL SECURITY DEFINER routine whose dynamic SQL runs its caller\'s text (undecided for any other such routine but one without dynamic SQL, administrator\'s statements or stored function calls, in databases where the application may create or replace nothing); on PostgreSQL neither does it hold what makes a superuser in all but name: membership or ADMIN OPTION in pg_execute_server_program, pg_write_server_files or pg_read_server_files, EXECUTE (itself, through a role or PUBLIC) on a function that writes or reads server file contents (lo_export, lo_import, pg_read_file, pg_read_binary_file, adminpack\'s pg_file_write) or on dblink_connect_u (in whatever schema dblink is installed), ALTER SYSTEM on a parameter holding a shell command, a foreign server (postgres_fdw, dblink_fdw) it may use (USAGE, or a postgres_fdw foreign table of it that it owns, which its owner may repoint without USAGE) whose user mapping hands it a login to this host as a role with superuser power (its own mapping and PUBLIC\'s both count, since it may drop its own; undecided when the mapping\'s options cannot be read, when it names such a role on a host that may be this one, or a role on another port of this host, another cluster), nor before 16 CREATEROLE, nor a superuser\'s SECURITY DEFINER routine it may run whose EXECUTE runs its caller\'s text (undecided for any other such routine but a BEGIN ATOMIC SQL body bound to pg_catalog); the function grants, dblink, foreign servers and routines read in every database it may connect to (undecided when one cannot be read)', requiredIn: ALL_PROFILES },
  {
    id: 'access.least-privilege',
    engines: BOTH,
    mcsb: 'PA-7',
    passesWhen: 'no non-admin account holds role-creating, database-creating, replication, FILE (PostgreSQL: pg_execute_server_program, pg_read_server_files, pg_write_server_files), pg_read_all_data/pg_write_all_data, pg_maintain (17+), pg_signal_backend, pg_checkpoint (15+), pg_create_subscription and pg_use_reserved_connections (16+), pg_signal_autovacuum_worker (18+), PostgreSQL EXECUTE on dblink_connect_u, GRANT OPTION (PostgreSQL: WITH GRANT OPTION on another owner\'s object), WITH ADMIN OPTION on a role, MySQL PROXY, PostgreSQL parameter grants (ALTER SYSTEM, SET on a superuser-only parameter), CREATE on another owner\'s database or foreign-schema CREATE rights beyond the declared allow list, held itself or through a role it inherits or may SET ROLE to (PostgreSQL: predefined pg_* roles included), and none may EXECUTE a SECURITY DEFINER routine whose owner is an administrator or holds such a right (PostgreSQL: read in every database that accepts connections)',
    requiredIn: ALL_PROFILES,
  },
  { id: 'access.public-schema', engines: POSTGRES, mcsb: 'PA-7', passesWhen: 'PUBLIC cannot CREATE in schema public, in any database that accepts connections', requiredIn: ALL_PROFILES },
  { id: 'access.no-wildcard-hosts', engines: MYSQL, mcsb: 'PA-7', passesWhen: "no account that can log in is reachable from host '%' unless declared", requiredIn: ALL_PROFILES },
  { id: 'access.time-bound', engines: POSTGRES, mcsb: 'PA-7', passesWhen: 'every human login role (not a declared workload account) carries an expiry (VALID UNTIL)', requiredIn: ALL_PROFILES },
  {
    id: 'access.masking',
    engines: BOTH,
    mcsb: 'PA-7',
    passesWhen: 'the declared masked role never reads the raw values of the declared sensitive columns (MySQL/MariaDB: and it is one account, so a login from another host cannot land in another of its name)',
    requiredIn: ALL_PROFILES,
    missingDeclaration: (target) => (target.masking ? undefined : 'no masked role and sensitive columns are declared for this target (masking: role, passwordEnv, columns)'),
  },
  {
    id: 'network.allowlist',
    engines: BOTH,
    mcsb: 'NS-1',
    passesWhen: 'every source declared denied is dropped or refused before any login (no TCP answer, a reset, or a refusal before authentication), and every source declared allowed reaches the point where the server would authenticate it',
    requiredIn: ALL_PROFILES,
    missingDeclaration: vantagePointsMissing,
  },
  {
    id: 'network.no-banner',
    engines: BOTH,
    mcsb: 'NS-1',
    passesWhen: 'no source declared denied receives a single byte from the server (no MySQL greeting or error packet, no answer to a PostgreSQL SSLRequest), while every source declared allowed does',
    requiredIn: ALL_PROFILES,
    missingDeclaration: vantagePointsMissing,
  },
  {
    id: 'network.private-endpoint',
    engines: BOTH,
    mcsb: 'NS-2',
    passesWhen: 'every address the host name resolves to is private (RFC 1918 or IPv6 ULA fc00::/7; not CGNAT 100.64/10, not loopback) and, when the target declares its Azure resource, the server has a private endpoint connection Azure reports Approved (and provisioned) or sits in a delegated subnet (VNet integration): a Pending, Rejected or Disconnected connection does not count, and an Azure resource that cannot be read leaves the control undecided',
    requiredIn: ['strict'],
    notRequiredBecause: { baseline: 'the baseline profile allows public access behind an allow list (Azure default); strict, or a target declaring network.access: private, requires a private endpoint' },
    requiredByTarget: (target) => target.network?.access === 'private',
  },
  {
    id: 'auth.entra-token',
    engines: BOTH,
    mcsb: 'IM-1',
    passesWhen: 'an Entra ID access token for the OSS RDBMS scope logs in over TLS, and the server refuses the same token with one signature byte changed and once it has expired',
    requiredIn: ALL_PROFILES,
    missingDeclaration: (target) => (target.entra ? undefined : 'no Entra principal is declared for this target (entra.user in the config file)'),
  },
  {
    id: 'audit.connections-logged',
    engines: BOTH,
    mcsb: 'LT-3',
    passesWhen: 'connections and disconnections are logged: PostgreSQL log_connections and log_disconnections on with user, database and client address in log_line_prefix and log_min_messages keeping LOG lines, server-wide and in every per-role or per-database override; MariaDB server_audit logging with CONNECT events; MySQL audit_log with CONNECTION or CONNECTION_V2 events',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'audit.failed-logins-recorded',
    engines: BOTH,
    mcsb: 'LT-3',
    passesWhen: "failed logins the harness makes with a run-scoped marker user name (absent from the log before) appear in the server's declared log or audit trail (or its own log read over SQL by the auditor) within the polling timeout, naming the source address",
    requiredIn: ALL_PROFILES,
    missingDeclaration: logSourceMissing,
  },
  {
    id: 'audit.audit-extension',
    engines: BOTH,
    mcsb: 'LT-3',
    passesWhen: 'pgaudit is in shared_preload_libraries with pgaudit.log other than none, server-wide and in every per-role or per-database override (PostgreSQL), or the audit plugin (server_audit, audit_log) is active and logging (MySQL/MariaDB)',
    requiredIn: ALL_PROFILES,
  },
  { id: 'audit.clock-sync', engines: BOTH, mcsb: 'LT-4', passesWhen: "the server's clock is within 1 s of the harness's, the round-trip time included as the error bar", requiredIn: ALL_PROFILES },
  {
    id: 'backup.pitr-ready',
    engines: BOTH,
    mcsb: 'BR-1',
    passesWhen: 'PostgreSQL archives WAL (wal_level replica or logical, archive_mode on or always, an archive_command that names the segment (%p or %f) or an archive_library set); MySQL/MariaDB write the binary log (log_bin ON, binlog_format ROW or MIXED) and keep it at least as long as the profile keeps backups (7 days baseline, 35 strict; minBinaryLogDays overrides), or never purge it (on an Azure flexible server, which keeps its own copies of the binary log, backup.retention judges that window instead)',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'rest.tablespaces-encrypted',
    engines: MYSQL,
    notOnEngineBecause: {
      postgres: 'not decidable on the data plane: PostgreSQL has no native at-rest encryption; the Azure plane controls (rest.cmk-*) decide it',
    },
    mcsb: 'DP-4',
    passesWhen: 'an encryption plugin is active and every InnoDB tablespace (the system tablespace included) is encrypted, as are the redo log, binary log and temporary files, and no user table (every schema but mysql, information_schema, performance_schema, sys) is kept in an engine that leaves its rows unencrypted on disk (MyISAM, CSV, ARCHIVE, Aria unless an encrypted non-transactional PAGE table); the auditor must see every table. PostgreSQL: not decidable on the data plane (no native at-rest encryption); the Azure plane controls decide it',
    requiredIn: ALL_PROFILES,
  },
  {
    id: 'backup.restore-drill',
    engines: BOTH,
    mcsb: 'BR-4',
    passesWhen: 'a point-in-time restore to a moment between two canary commits, into a fresh server, brings back the rows committed before that moment and none committed after',
    requiredIn: ALL_PROFILES,
    missingDeclaration: labHandleMissing,
  },
  ...PLANE_CONTROLS,
] as const satisfies readonly Control[];

/** Every control id the catalogue knows; a misspelt or unknown id anywhere is a compile error. */
export type ControlId = (typeof CONTROLS)[number]['id'];

/** A control area is the part of the id before the dot: transport, auth, access, network, ... */
export type ControlArea = ControlId extends `${infer Area}.${string}` ? Area : never;

/** The catalogue as plain Control records, each keyed by its typed id. */
export const CATALOGUE: ReadonlyArray<Control & { readonly id: ControlId }> = CONTROLS;

const BY_ID = new Map<string, Control>(CATALOGUE.map((control) => [control.id, control]));

export function isControlId(id: string): id is ControlId {
  return BY_ID.has(id);
}

export function controlById(id: ControlId): Control {
  return BY_ID.get(id)!;
}

/** A catalogue control, or undefined for an id the catalogue does not know (e.g. in an old results file). */
export function findControl(id: string): Control | undefined {
  return BY_ID.get(id);
}

/** The area of a control id: the part before the first dot. */
export function areaOf(controlId: ControlId): ControlArea;
export function areaOf(controlId: string): string;
export function areaOf(controlId: string): string {
  return controlId.slice(0, controlId.indexOf('.'));
}

export const CONTROL_TAG_PREFIX = '@control:';

/**
 * The control ids a scenario's tags name. A tag naming no catalogue id is returned as it is: the
 * spec test rejects such a scenario, and a run reports it undecided rather than dropping it.
 */
export function controlIdsOfTags(tags: readonly string[]): string[] {
  return tags.filter((tag) => tag.startsWith(CONTROL_TAG_PREFIX)).map((tag) => tag.slice(CONTROL_TAG_PREFIX.length));
}
