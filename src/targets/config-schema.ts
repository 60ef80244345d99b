import { z } from 'zod';
import { PROFILES } from './profiles.js';
import { MAX_TIMEOUT_MS, type ProfileName } from './target.js';

/**
 * The shape of the fleet config file (dbcomply.yaml): keys, types, enumerations, ranges and the
 * rules between keys of one mapping. It is the one definition both of the run-time check
 * (config-file.ts parses with it, config-issues.ts turns its first issue into a ConfigError) and of
 * the published JSON Schema (schemas/dbcomply.config.schema.json, `npm run schema`). What needs the
 * world (an environment variable, a URL, a resource id, an IP address) is checked after it, in code.
 *
 * A key written with no value (`caFile:`) counts as absent everywhere, hence `.nullish()`.
 * Every message says what was expected; the field path is added by config-issues.ts.
 */

const NON_EMPTY = 'expected a non-empty string';
const LIST_OF_STRINGS = 'expected a list of non-empty strings';
const PASSWORD_IN_FILE = 'passwords are never written in the config file; name an environment variable in passwordEnv';
const SECRET_IN_FILE = 'secrets are never written in the config file; name an environment variable in clientSecretEnv';

type Issue = { input?: unknown };
const absent = (input: unknown): boolean => input === undefined || input === null;

/** A non-empty string; `whenMissing` is what a required one says when it is left out. */
function text(whenMissing = NON_EMPTY) {
  return z.string({ error: (issue: Issue) => (absent(issue.input) ? whenMissing : NON_EMPTY) }).min(1, { error: NON_EMPTY });
}

function stringList() {
  return z.array(text(), { error: LIST_OF_STRINGS });
}

/** A whole number from `minimum` up; the message quotes what was written, as the URL parameters' does. */
function wholeNumber(minimum: 0 | 1) {
  const expected = minimum === 1 ? 'a positive whole number' : 'a whole number, 0 or more';
  const error = (issue: Issue) => `expected ${expected}, got "${String(issue.input)}"`;
  return z.number({ error }).int({ error }).min(minimum, { error });
}

/** An optional key, with its help text on the key itself (where editors look for it). */
function optional<T extends z.ZodType>(schema: T, description: string) {
  return schema.nullish().describe(description);
}

function required<T extends z.ZodType>(schema: T, description: string) {
  return schema.describe(description);
}

/**
 * A mapping that takes only the keys of `shape`. An unknown key is named with the keys expected;
 * a key in `secrets` (a secret written in the file) gets its own message instead.
 */
function mapping<Shape extends z.ZodRawShape>(shape: Shape, expected: string, secrets: Record<string, string> = {}) {
  const keys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return expected;
      const [key] = issue.keys;
      return secrets[key] ?? `unknown key; expected one of ${keys.join(', ')}`;
    },
  });
}

/** What `ip netns` accepts as a name, without path separators or option-like dashes. */
const NAMESPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** What @azure/identity accepts as a tenant: a GUID or a domain-like name. */
const TENANT_ID = /^[0-9A-Za-z.-]+$/;
const HTTPS_ORIGIN = /^https:\/\/[^/?#]+\/?$/;
const COLUMN = /^[^.\s]+\.[^.\s]+\.[^.\s]+$/;
/** It names the target's report folder (resolve-targets.ts checks --target names the same way). */
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const ENGINE_NAMES = ['postgres', 'postgresql', 'mysql', 'mariadb'] as const;

const profile = z.enum(PROFILES as [ProfileName, ...ProfileName[]], {
  error: (issue: Issue) => `unknown profile "${String(issue.input)}"; expected ${PROFILES.join(' or ')}`,
});

const timeout = (scope: string) =>
  optional(
    wholeNumber(1).max(MAX_TIMEOUT_MS, { error: (issue: Issue) => `expected at most ${MAX_TIMEOUT_MS}, got "${String(issue.input)}"` }),
    `Limit in milliseconds for any one network operation${scope} (default 5000, at most ${MAX_TIMEOUT_MS}).`,
  );
const minCertDays = (scope: string) => optional(wholeNumber(1), `Days of validity a server certificate must have left${scope} (default 30).`);

/** JSON Schema: the mapping has `key` with a value (a key written with no value counts as absent). */
function has(key: string, value: Record<string, unknown> = { not: { type: 'null' } }) {
  return { required: [key], properties: { [key]: value } };
}

/** `clientSecretEnv` comes with the tenant and the client it is the secret of. */
function secretNeedsClient<T extends z.ZodType<{ tenantId?: string | null; clientId?: string | null; clientSecretEnv?: string | null }>>(schema: T) {
  return schema
    .superRefine((value, context) => {
      if (!absent(value.clientSecretEnv) && (absent(value.tenantId) || absent(value.clientId))) {
        context.addIssue({ code: 'custom', path: ['clientSecretEnv'], message: 'a client secret needs tenantId and clientId as well' });
      }
    })
    .meta({ if: has('clientSecretEnv'), then: { allOf: [has('tenantId'), has('clientId')] } });
}

/** A declared extra account: its name under `nameKey`, and the environment variable of its password. */
function account<Key extends 'user' | 'role'>(nameKey: Key, nameHelp: string) {
  const name = required(text('expected an account name'), nameHelp);
  const passwordEnv = required(text("name the environment variable that holds this account's password"), "Environment variable holding this account's password.");
  return { [nameKey]: name, passwordEnv } as { [K in Key]: typeof name } & { passwordEnv: typeof passwordEnv };
}

const auditor = mapping(account('user', 'Account that reads the catalog (roles, grants, settings).'), 'expected a mapping with user and passwordEnv', { password: PASSWORD_IN_FILE });

const masking = mapping(
  {
    ...account('role', 'The role that must see only masked values (access.masking).'),
    columns: required(
      z.array(text().regex(COLUMN, { error: (issue: Issue) => `"${String(issue.input)}" is not schema.table.column` }), { error: LIST_OF_STRINGS }),
      'Columns that must read masked for the role, as schema.table.column (a MySQL database is the schema).',
    ),
  },
  'expected a mapping with role and passwordEnv',
  { password: PASSWORD_IN_FILE },
);

const allow = mapping(
  {
    workload: optional(stringList(), 'Service accounts: access.time-bound expects an expiry only of people.'),
    privileged: optional(stringList(), 'Non-admin accounts allowed FILE, CREATEROLE, EXECUTE on pg_read_file and the like, also through a SECURITY DEFINER routine of a privileged owner that they may run.'),
    wildcardHosts: optional(stringList(), "Accounts allowed at host '%' (MySQL)."),
  },
  'expected a mapping with workload, privileged, wildcardHosts',
  { password: PASSWORD_IN_FILE },
);

const logs = mapping(
  {
    file: optional(text(), 'Log or audit file to read, relative to this config file.'),
    files: optional(stringList(), 'Log or audit files to read, relative to this config file.'),
    command: optional(
      stringList().min(1, { error: 'expected the command and its arguments as a non-empty list' }),
      'Command (argv list, run without a shell) that prints the log, e.g. [journalctl, -u, mariadb].',
    ),
    sql: optional(
      z.literal(true, { error: 'expected true (to read the log over SQL), or leave it out' }),
      "Read the server's own log over SQL as the auditor (PostgreSQL: pg_read_file on the logging collector's file; MariaDB/MySQL: mysql.general_log). Without file, files or command this is tried anyway; declared, a server that does not offer it makes the control undecided.",
    ),
    wait: optional(wholeNumber(1), 'Milliseconds to poll for the marker line (default 15000).'),
  },
  'expected a mapping with file, files, command or sql',
  { password: PASSWORD_IN_FILE },
)
  .superRefine((value, context) => {
    const files = !absent(value.file) || (value.files ?? []).length > 0;
    const command = !absent(value.command);
    const sql = !absent(value.sql);
    const declared = [files, command, sql].filter(Boolean).length;
    if (declared > 1) context.addIssue({ code: 'custom', path: [], message: 'declare one source: files, a command, or sql, not several' });
    if (declared === 0) context.addIssue({ code: 'custom', path: [], message: 'expected file, files, command or sql' });
  })
  .meta({
    anyOf: [has('file'), has('files', { type: 'array', minItems: 1 }), has('command'), has('sql')],
    not: {
      anyOf: [
        { allOf: [{ anyOf: [has('file'), has('files', { type: 'array', minItems: 1 })] }, has('command')] },
        { allOf: [{ anyOf: [has('file'), has('files', { type: 'array', minItems: 1 }), has('command')] }, has('sql')] },
      ],
    },
  });

const vantagePoint = mapping(
  {
    name: required(text('every vantage point needs a name'), 'Name of this vantage point in the evidence.'),
    expect: required(
      z.enum(['allowed', 'denied'], { error: (issue: Issue) => `expected allowed or denied, got "${String(issue.input ?? '')}"` }),
      "What the server's owner says should happen from here.",
    ),
    sourceAddress: optional(
      z.string({ error: 'expected an IPv4 or IPv6 address of this machine' }),
      'A local IPv4 or IPv6 address to bind the client socket to.',
    ),
    namespace: optional(
      z.string({ error: 'expected a network namespace name (letters, digits, dot, dash, underscore)' }).regex(NAMESPACE_NAME, {
        error: 'expected a network namespace name (letters, digits, dot, dash, underscore)',
      }),
      'A Linux network namespace to probe from (needs root and `ip netns`).',
    ),
  },
  'expected a mapping with name, expect and sourceAddress or namespace',
)
  .superRefine((value, context) => {
    if (absent(value.sourceAddress) === absent(value.namespace)) {
      context.addIssue({ code: 'custom', path: [], message: 'give exactly one of sourceAddress (a local address to bind) or namespace (a network namespace to probe from)' });
    }
  })
  .meta({ oneOf: [has('sourceAddress'), has('namespace')] });

const RESOLVER = 'expected a DNS server address (or a list), e.g. 10.0.0.2 or 127.0.0.1:5353';
const RESOLVER_ENTRY = 'expected an IP address with an optional port, e.g. 10.0.0.2, 127.0.0.1:5353 or [fd00::53]:53';

const network = mapping(
  {
    from: optional(
      z.array(vantagePoint, { error: 'expected a non-empty list of vantage points' }).min(1, { error: 'expected a non-empty list of vantage points' }),
      'Vantage points for network.allowlist and network.no-banner; at least one expected allowed and one denied.',
    ),
    access: optional(
      z.literal('private', { error: 'expected "private" (leave it out when the server may be public)' }),
      '`private`: network.private-endpoint and network.public-access-disabled are required whatever the profile.',
    ),
    resolver: optional(
      z.union([z.string(), z.array(z.string({ error: (issue: Issue) => `${RESOLVER_ENTRY}; got "${String(issue.input)}"` })).min(1, { error: RESOLVER })], { error: RESOLVER }),
      'DNS servers (address or address:port, IPv6 in brackets) to resolve the host with instead of the system resolver.',
    ),
  },
  'expected a mapping with from, access and/or resolver',
);

const entra = secretNeedsClient(
  mapping(
    {
      user: required(text('name the role or account of the Entra principal on the server'), "The Entra principal's role (PostgreSQL) or account (MySQL) on the server."),
      tenantId: optional(text().regex(TENANT_ID, { error: 'expected a tenant GUID or domain name' }), 'Tenant GUID or domain name.'),
      clientId: optional(text(), 'Application (client) id of the principal.'),
      clientSecretEnv: optional(text(), 'Environment variable holding the client secret; needs tenantId and clientId. Without it, DefaultAzureCredential.'),
      authorityHost: optional(
        text().regex(HTTPS_ORIGIN, { error: 'expected an https:// URL without a path, such as https://login.microsoftonline.com' }),
        'Entra authority, an https:// URL without a path (default https://login.microsoftonline.com).',
      ),
      caFile: optional(text(), 'CA bundle for the authority host only, relative to this config file.'),
      expiryWait: optional(wholeNumber(0), 'Milliseconds the probe may wait to see the token refused once expired (default 0).'),
    },
    'expected a mapping with at least "user"',
    { clientSecret: SECRET_IN_FILE },
  ),
);

const RESOURCE_ID = 'expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.DBforPostgreSQL (or Microsoft.DBforMySQL)/flexibleServers/<name>';
const HTTPS_WITHOUT_PATH = 'expected an https:// URL without a path';

const azure = secretNeedsClient(
  mapping(
    {
      resourceId: required(
        // Parsed in code (azure-config.ts): ARM ids compare case-insensitively, which a JSON Schema pattern cannot say.
        text(RESOURCE_ID),
        'ARM id of the flexible server: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.DBforPostgreSQL (or Microsoft.DBforMySQL)/flexibleServers/<name>.',
      ),
      tenantId: optional(text().regex(TENANT_ID, { error: 'expected a tenant GUID or domain name' }), 'Tenant GUID or domain name.'),
      clientId: optional(text(), 'Application (client) id of a service principal.'),
      clientSecretEnv: optional(text(), 'Environment variable holding the client secret; needs tenantId and clientId. Without it, DefaultAzureCredential.'),
      authorityHost: optional(text().regex(HTTPS_ORIGIN, { error: HTTPS_WITHOUT_PATH }), 'Entra authority for sovereign clouds, e.g. https://login.chinacloudapi.cn.'),
      armEndpoint: optional(text().regex(HTTPS_ORIGIN, { error: HTTPS_WITHOUT_PATH }), 'Azure Resource Manager endpoint (default https://management.azure.com).'),
      keyVaultDnsSuffix: optional(text().regex(/^[A-Za-z0-9.-]+$/, { error: 'expected a DNS suffix such as vault.azure.net' }), 'Key Vault DNS suffix (default vault.azure.net).'),
      caFile: optional(text(), "CA bundle trusted, besides Node's, for these hosts only; relative to this config file."),
    },
    'expected a mapping with at least "resourceId"',
    { clientSecret: SECRET_IN_FILE },
  ),
);

const target = mapping(
  {
    name: required(
      text('every target needs a name').regex(TARGET_NAME, {
        error: (issue: Issue) => `"${String(issue.input)}" must be 1-64 letters, digits, dot, dash or underscore (it names the report folder)`,
      }),
      "The target's name in reports and its report folder: 1-64 letters, digits, dot, dash or underscore; unique in the file.",
    ),
    url: optional(text(), 'postgres://, postgresql://, mysql:// or mariadb:// URL (user@host:port/database?sslrootcert=...), without a password; or give engine and host.'),
    engine: optional(
      z.enum(ENGINE_NAMES, { error: (issue: Issue) => `expected postgres or mysql (or a url), got "${String(issue.input ?? '')}"` }),
      'postgres (or postgresql) or mysql (or mariadb); with host, instead of url.',
    ),
    host: optional(text(), 'Host name or address, instead of url.'),
    port: optional(
      wholeNumber(1).max(65535, { error: (issue: Issue) => `expected a TCP port up to 65535, got ${String(issue.input)}` }),
      'TCP port (default 5432 for PostgreSQL, 3306 for MySQL).',
    ),
    user: optional(text(), 'Application account to log in as.'),
    database: optional(text(), 'Database to connect to.'),
    passwordEnv: optional(text(), 'Environment variable holding the password; passwords are never written in the file.'),
    caFile: optional(text(), 'CA bundle the server certificate must chain to, relative to this config file (default: Node\'s CA store).'),
    profile: optional(profile, 'baseline or strict: the expectations this target is held to (--profile overrides).'),
    timeout: timeout(''),
    minCertDays: minCertDays(''),
    intrusive: optional(z.boolean({ error: 'expected true or false' }), 'Run the intrusive probes (auth.lockout, auth.no-default-admin) against this target.'),
    auditor: optional(auditor, 'Account that reads the catalog, and the environment variable of its password.'),
    lockoutUser: optional(text(), 'Sacrificial account for auth.lockout (it may stay locked).'),
    masking: optional(masking, 'access.masking: the role that must see only masked values, and the columns.'),
    allow: optional(allow, 'Declarations the account checks accept.'),
    network: optional(network, 'What the target declares about its network exposure; absent parts leave their controls skipped.'),
    entra: optional(entra, 'The Entra ID principal to log in as (auth.entra-token), and to read the catalog as when no auditor or login password is to hand (Entra-only servers).'),
    maxLoginPaths: optional(wholeNumber(1), 'PostgreSQL: bound on startup messages for the login-path matrix.'),
    maxAccessDays: optional(wholeNumber(1), "access.time-bound: a person's expiry further out than this many days counts as standing access (default 366)."),
    minBinaryLogDays: optional(wholeNumber(1), 'backup.pitr-ready (MySQL/MariaDB): the fewest days the server must keep its binary log before purging it (default: the backup retention the profile asks, 7 baseline, 35 strict). Lower it only where base backups are taken and kept that often, or the binary log is copied off the server.'),
    azure: optional(azure, "The server's Azure resource, for the control-plane checks; without url or host the target is plane-only."),
    logs: optional(logs, "audit.failed-logins-recorded: where the server's log or audit trail is read."),
  },
  'expected a mapping with name and url (or engine and host)',
  { password: PASSWORD_IN_FILE },
);

export const CONFIG_SCHEMA = mapping(
  {
    profile: optional(profile, 'Profile of the targets that name none: baseline or strict (--profile overrides).'),
    timeout: timeout(', for targets that set none'),
    minCertDays: minCertDays(', for targets that set none'),
    targets: required(
      z.array(target, { error: 'expected a non-empty list of targets' }).min(1, { error: 'expected a non-empty list of targets' }),
      'The servers to assess.',
    ),
  },
  'expected a mapping with a "targets" list',
  { password: PASSWORD_IN_FILE },
).meta({
  title: 'dbcomply fleet configuration',
  description: 'The targets dbcomply assesses (dbcomply run --config FILE). Passwords and secrets are never written here: name environment variables instead.',
});

export type ConfigDocument = z.output<typeof CONFIG_SCHEMA>;
export type TargetEntry = ConfigDocument['targets'][number];
export type NetworkEntry = NonNullable<TargetEntry['network']>;
export type EntraEntry = NonNullable<TargetEntry['entra']>;
export type AzureEntry = NonNullable<TargetEntry['azure']>;
export type LogsEntry = NonNullable<TargetEntry['logs']>;

/**
 * The JSON Schema of the config file, as published in schemas/ and read by editors: draft-07,
 * the newest draft yaml-language-server (VS Code's YAML extension) validates with.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(CONFIG_SCHEMA, { target: 'draft-7' }) as Record<string, unknown>;
}

/** The published file's text: the JSON Schema, two-space indented, with a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
