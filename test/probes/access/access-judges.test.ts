/** Table tests of the access-control judges: evidence in, verdict and reason out; no server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appNotSuperuser, type SuperuserEvidence } from '../../../src/probes/access/app-not-superuser.js';
import { leastPrivilege, type LeastPrivilegeEvidence } from '../../../src/probes/access/least-privilege.js';
import { publicSchema, type PublicSchemaEvidence } from '../../../src/probes/access/public-schema.js';
import { noWildcardHosts, type WildcardHostsEvidence } from '../../../src/probes/access/wildcard-hosts.js';
import { timeBound, type TimeBoundEvidence } from '../../../src/probes/access/time-bound.js';
import { masking, type MaskingEvidence } from '../../../src/probes/access/masking.js';
import type { Judgement } from '../../../src/controls/judgement.js';
import { sampleTarget } from '../../support/sample-target.js';

const readAs = 'read as the declared auditor "auditor"';
function expect(judgement: Judgement, verdict: string, reason: RegExp): void {
  assert.equal(judgement.verdict, verdict, judgement.reason);
  assert.match(judgement.reason, reason);
}

const superuser = (superuserPaths: string[], accountsSeen = ['app']): SuperuserEvidence => ({ readAs, application: 'app', superuserPaths, accountsSeen });
for (const [name, evidence, verdict, reason] of [
  ['no superuser path', superuser([]), 'passed', /"app" \(app\) holds no superuser/],
  ['SUPERUSER attribute', superuser(['role "app" is SUPERUSER']), 'failed', /has superuser power: role "app" is SUPERUSER/],
  ['member of a superuser role', superuser(['member of superuser role "postgres"']), 'failed', /member of superuser role "postgres"/],
  ['no such account', superuser([], []), 'undecided', /no account named "app"/],
  [
    'PostgreSQL: membership in pg_execute_server_program is superuser power',
    superuser(['member of predefined role "pg_execute_server_program" (runs shell commands as the server\'s operating-system user (COPY ... PROGRAM), who logs in as a superuser over the Unix socket and owns the data directory)']),
    'failed',
    /has superuser power: member of predefined role "pg_execute_server_program" \(runs shell commands/,
  ],
  [
    'PostgreSQL before 16: CREATEROLE is superuser power',
    superuser(['role "app" has CREATEROLE: before PostgreSQL 16 that grants any role that is not a superuser (pg_execute_server_program among them) and changes such roles\' passwords']),
    'failed',
    /has superuser power: role "app" has CREATEROLE: before PostgreSQL 16/,
  ],
  [
    'PostgreSQL: the pass names the powers short of superuser looked for too',
    { ...superuser([]), alsoLookedFor: ['membership or ADMIN OPTION in pg_execute_server_program, pg_write_server_files, pg_read_server_files (the host as the server\'s operating-system user)', 'CREATEROLE not counted: from PostgreSQL 16 it grants only roles held WITH ADMIN OPTION'] },
    'passed',
    /holds no superuser, SUPER or all-privileges grant; nor what makes a superuser in all but name: membership or ADMIN OPTION in pg_execute_server_program, pg_write_server_files, pg_read_server_files \(the host as the server's operating-system user\); CREATEROLE not counted/,
  ],
  [
    'PostgreSQL: EXECUTE on lo_export granted to PUBLIC is superuser power, named with how it is reached',
    superuser(["may EXECUTE lo_export(oid,text), granted to PUBLIC (writes a large object of its choosing to any file the server's operating-system user may write: postgresql.auto.conf (archive_command, a shell command) and pg_hba.conf, in force at the next reload)"]),
    'failed',
    /has superuser power: may EXECUTE lo_export\(oid,text\), granted to PUBLIC \(writes a large object of its choosing/,
  ],
  [
    'PostgreSQL: EXECUTE on pg_read_binary_file through a role is superuser power',
    superuser(["may EXECUTE pg_read_binary_file(text), through role file_readers (reads any file of the data directory and the log folder as bytes: every role's password verifier (pg_authid), every database's tables past their grants, pg_hba.conf and a TLS key kept there)"]),
    'failed',
    /has superuser power: may EXECUTE pg_read_binary_file\(text\), through role file_readers \(reads any file of the data directory/,
  ],
  [
    'PostgreSQL: the pass names the server-file functions looked at and those left to access.least-privilege',
    {
      ...superuser([]),
      alsoLookedFor: ['EXECUTE, granted to it, to PUBLIC or to a role it reaches, on the 3 server-file functions that write or read file contents (lo_export(oid,text), lo_import(text), pg_read_file(text)); not counted: pg_ls_dir(text) (names, metadata, moves or deletions only: access.least-privilege judges them)'],
    },
    'passed',
    /nor what makes a superuser in all but name: EXECUTE, granted to it, to PUBLIC or to a role it reaches, on the 3 server-file functions that write or read file contents \(lo_export\(oid,text\), lo_import\(text\), pg_read_file\(text\)\); not counted: pg_ls_dir\(text\)/,
  ],
  [
    'PostgreSQL: EXECUTE on dblink_connect_u, in the schema dblink was installed in, is superuser power',
    superuser(['may EXECUTE ext.dblink_connect_u(text, text), through role linkers (dblink\'s connection without its password checks: it runs as its owner, superuser "postgres", so connects as any role the server\'s own trust or peer lines, its operating-system user\'s .pgpass or client certificate let in: the bootstrap superuser over the Unix socket, where peer or trust usually lets it in)']),
    'failed',
    /has superuser power: may EXECUTE ext\.dblink_connect_u\(text, text\), through role linkers \(dblink's connection without its password checks/,
  ],
  [
    'PostgreSQL: the pass names the dblink functions looked at',
    { ...superuser([]), alsoLookedFor: ['EXECUTE and USAGE on its schema, granted to it, to PUBLIC or to a role it reaches, on dblink\'s connections without password checks (SECURITY DEFINER, owned by a superuser) in database "app": none installed'] },
    'passed',
    /on dblink's connections without password checks \(SECURITY DEFINER, owned by a superuser\) in database "app": none installed/,
  ],
  [
    'PostgreSQL: a path only another database keeps fails, naming the database; one every database shows (a membership) is not repeated',
    {
      ...superuser(['member of superuser role "postgres" that it may SET ROLE to']),
      otherDatabases: { read: [{ database: 'other', superuserPaths: ['member of superuser role "postgres" that it may SET ROLE to', 'may EXECUTE ext.dblink_connect_u(text, text), granted to it directly'] }], unreadable: [] },
    },
    'failed',
    /has superuser power: member of superuser role "postgres" that it may SET ROLE to; in database "other": may EXECUTE ext\.dblink_connect_u\(text, text\), granted to it directly$/,
  ],
  [
    'PostgreSQL: another database it may connect to that could not be read is undecided, never passed',
    { ...superuser([]), otherDatabases: { read: [], unreadable: [{ database: 'sales', reason: 'permission denied for database sales' }] } },
    'undecided',
    /database "sales", which it may connect to, could not be read \(permission denied for database sales\)/,
  ],
  [
    'PostgreSQL: more databases than are read is undecided',
    { ...superuser([]), otherDatabases: { read: [], unreadable: [], problem: '60 other databases accept connections; only the first 50 were read' } },
    'undecided',
    /only the first 50 were read/,
  ],
  [
    "PostgreSQL: Azure's own database, which no customer's role may enter, unreadable, does not hold up a pass",
    { ...superuser([]), otherDatabases: { read: [{ database: 'other', superuserPaths: [] }], unreadable: [{ database: 'azure_maintenance', reason: 'permission denied', platform: true }] } },
    'passed',
    /read in the 1 other database it may connect to \(other\)/,
  ],
  [
    'MySQL: an anonymous account with SUPER that a login as app from another host lands in',
    { ...superuser([], ["'app'@'127.0.0.1'"]), anonymousAccounts: [{ account: "''@'10.%'", powers: ["''@'10.%' holds SUPER"] }], loginMatched: "'app'@'127.0.0.1'", rolesExamined: [] },
    'undecided',
    /depends on the host it comes from.*from a host none of 'app'@'127\.0\.0\.1' matches first, an anonymous account takes it, and has superuser power: ''@'10\.%' holds SUPER; the harness's own login as "app" was let in as 'app'@'127\.0\.0\.1'/,
  ],
  [
    'MySQL: the pass names the accounts, the administrator powers looked for, the roles and the anonymous accounts',
    { ...superuser([], ["'app'@'127.0.0.1'", "'app'@'localhost'"]), anonymousAccounts: [{ account: "''@'10.%'", powers: [] }], loginMatched: "'app'@'127.0.0.1'", rolesExamined: ['PUBLIC', 'r_reader'] },
    'passed',
    /the 2 accounts of the application, "app" \('app'@'127\.0\.0\.1', 'app'@'localhost'\), hold no SUPER, ALL PRIVILEGES, CREATE USER, SET USER or write on the mysql system database, directly or through 2 roles \(PUBLIC, r_reader\); nor do the anonymous accounts a login as "app" may be let in as instead: ''@'10\.%'/,
  ],
  [
    'MySQL: CREATE USER is an administrator\'s power',
    superuser(["'app'@'127.0.0.1' holds CREATE USER, which changes any account's password, an administrator's included (ALTER USER), and so logs in as it"], ["'app'@'127.0.0.1'"]),
    'failed',
    /has superuser power: 'app'@'127\.0\.0\.1' holds CREATE USER/,
  ],
] as const) {
  test(`access.app-not-superuser judge: ${name} -> ${verdict}`, () => expect(appNotSuperuser.judge(evidence, sampleTarget()), verdict, reason));
}

const holdings = (...entries: Array<[string, string[]]>): LeastPrivilegeEvidence => ({ readAs, holdings: entries.map(([account, rights]) => ({ account, rights })) });
const withFiles = (...entries: Array<[string, string[]]>): LeastPrivilegeEvidence => ({
  ...holdings(...entries),
  serverFileFunctions: { loginRoles: 6, functions: ['pg_read_file(text)', 'pg_read_file(text,bigint,bigint)'] },
});
for (const [name, evidence, target, verdict, reason] of [
  ['nobody holds anything', holdings(), sampleTarget(), 'passed', /no non-admin account holds/],
  ['an ordinary role with CREATEROLE', holdings(['etl', ['CREATEROLE']]), sampleTarget(), 'failed', /etl \(CREATEROLE\)/],
  ['a role that holds pg_maintain (17+)', holdings(['etl', ['pg_maintain (vacuums, reindexes, refreshes, clusters and locks every table, whatever its grants)']]), sampleTarget(), 'failed', /etl \(pg_maintain/],
  ['the PostgreSQL pass names all-table maintenance', withFiles(), sampleTarget(), 'passed', /all-data or all-table maintenance \(pg_maintain\)/],
  ['a role that holds pg_signal_backend through a role, named with it', holdings(['app', ['pg_signal_backend (cancels the queries and ends the sessions of every role that is not a superuser) through role operators']]), sampleTarget(), 'failed', /app \(pg_signal_backend \(cancels the queries and ends the sessions of every role that is not a superuser\) through role operators\)/],
  ['the PostgreSQL pass names the roles over other sessions and the server\'s resources', withFiles(), sampleTarget(), 'passed', /other roles' sessions or the server's resources \(pg_signal_backend, pg_checkpoint, pg_create_subscription, pg_use_reserved_connections, pg_signal_autovacuum_worker, those this version has\)/],
  ['a declared privileged account', holdings(['ops', ['CREATEDB']]), sampleTarget({ allow: { privileged: ['ops'] } }), 'passed', /exempt: ops \(declared in allow\.privileged: CREATEDB\)/],
  ['an Azure platform role', holdings(['azure_pg_admin', ['CREATEROLE', 'CREATEDB']]), sampleTarget(), 'passed', /azure_pg_admin \(Azure platform role/],
  ['a MySQL account of a declared user at a host', holdings(["'ops'@'10.%'", ['FILE (reads and writes server files)']]), sampleTarget({ engine: 'mysql', allow: { privileged: ['ops'] } }), 'passed', /exempt/],
  ['a MySQL user whose name quotes a declared one', { readAs, holdings: [{ account: "'ops'@'x'@'%'", user: "ops'@'x", rights: ['FILE (reads and writes server files)'] }] } as LeastPrivilegeEvidence, sampleTarget({ engine: 'mysql', allow: { privileged: ['ops'] } }), 'failed', /'ops'@'x'@'%' \(FILE/],
  ['a platform role name on a server that is not Azure is no exemption', { ...holdings(['replication', ['REPLICATION']]), azurePlatform: false }, sampleTarget(), 'failed', /replication \(REPLICATION\)/],
  ['an Azure platform role on an Azure server', { ...holdings(['azure_pg_admin', ['CREATEROLE']]), azurePlatform: true }, sampleTarget(), 'passed', /azure_pg_admin \(Azure platform role/],
  ['an Azure role name on MySQL is no exemption', holdings(['azure_pg_admin', ['FILE']]), sampleTarget({ engine: 'mysql' }), 'failed', /azure_pg_admin/],
  ['a role that may EXECUTE pg_read_file', withFiles(['etl', ['EXECUTE on pg_read_file(text) (reads server files as text)']]), sampleTarget(), 'failed', /etl \(EXECUTE on pg_read_file\(text\)/],
  ['a declared role that may EXECUTE pg_read_file', withFiles(['auditor', ['EXECUTE on pg_read_file(text,bigint,bigint) (reads server files as text)']]), sampleTarget({ allow: { privileged: ['auditor'] } }), 'passed', /6 login roles \(not superusers\) x 2 server-file functions \(pg_read_file\(text\), pg_read_file\(text,bigint,bigint\)\); exempt: auditor \(declared in allow\.privileged: EXECUTE on pg_read_file/],
  ['no role may EXECUTE a server-file function', withFiles(), sampleTarget(), 'passed', /EXECUTE checked for 6 login roles \(not superusers\) x 2 server-file functions/],
  ['other databases read, nothing held', { ...withFiles(), otherDatabases: { read: ['postgres', 'template1'], unreadable: [] } }, sampleTarget(), 'passed', /read in the target's database and 2 other databases that accept connections \(postgres, template1\)/],
  ['a right held in another database', { ...withFiles(['app', ['EXECUTE on pg_read_file(text) (reads server files as text) in database "sales"']]), otherDatabases: { read: ['sales'], unreadable: [] } }, sampleTarget(), 'failed', /app \(EXECUTE on pg_read_file\(text\) \(reads server files as text\) in database "sales"\)/],
  ['another database could not be read', { ...withFiles(), otherDatabases: { read: [], unreadable: [{ database: 'hr', reason: 'permission denied for database "hr"' }] } }, sampleTarget(), 'undecided', /could not be read in "hr" \(permission denied/],
  ["Azure's maintenance database is listed, not judged", { ...withFiles(), otherDatabases: { read: ['postgres'], unreadable: [{ database: 'azure_maintenance', reason: 'permission denied', platform: true }] } }, sampleTarget(), 'passed', /not readable, Azure platform databases: azure_maintenance/],
  ['the roles examined are counted and the administrators named', { ...withFiles(), accountsExamined: ['alice', 'app', 'auditor'], administrators: ['postgres'] }, sampleTarget(), 'passed', /3 roles examined \(administrators, which access\.app-not-superuser judges: postgres\)/],
  ['no account but administrators in sight', { ...holdings(), accountsExamined: [], administrators: ["'root'@'localhost'"] }, sampleTarget({ engine: 'mysql' }), 'undecided', /showed no accounts other than administrators/],
  ['MySQL: the pass names MySQL rights, not PostgreSQL roles', { ...holdings(), accountsExamined: ["'app'@'%'"], administrators: [] }, sampleTarget({ engine: 'mysql' }), 'passed', /^(?!.*pg_).*server-file \(FILE\).*1 accounts examined/],
  ['MySQL: the pass names the grants read beyond the accounts\' own', { ...holdings(), accountsExamined: ["'app'@'%'"], administrators: [], alsoRead: ['role grants WITH ADMIN OPTION (mysql.roles_mapping / role_edges)', 'PROXY grants (mysql.proxies_priv)'] }, sampleTarget({ engine: 'mysql' }), 'passed', /1 accounts examined .*; also read: role grants WITH ADMIN OPTION \(mysql\.roles_mapping \/ role_edges\), PROXY grants/],
  ['MySQL: a role held WITH ADMIN OPTION', holdings(["'app'@'%'", ['ADMIN OPTION on role r_reader (may grant it to others)']]), sampleTarget({ engine: 'mysql' }), 'failed', /'app'@'%' \(ADMIN OPTION on role r_reader/],
  ['more databases than the bound', { ...withFiles(), otherDatabases: { read: [], unreadable: [], problem: '80 other databases accept connections; only the first 50 were read' } }, sampleTarget(), 'undecided', /only the first 50/],
  ['a member that may SET ROLE to a declared role holds its attributes, undeclared', holdings(['ops', ['CREATEROLE']], ['app', ['CREATEROLE through SET ROLE to ops']]), sampleTarget({ allow: { privileged: ['ops'] } }), 'failed', /hold privileged rights: app \(CREATEROLE through SET ROLE to ops\)$/],
  ['a grant on a parameter', holdings(['app', ['ALTER SYSTEM on parameter archive_command (writes it for the whole server into postgresql.auto.conf)']]), sampleTarget(), 'failed', /app \(ALTER SYSTEM on parameter archive_command/],
  ['CREATE granted to a predefined role the app holds', holdings(['app', ['CREATE on schema ledger owned by another role through role pg_monitor']]), sampleTarget(), 'failed', /app \(CREATE on schema ledger owned by another role through role pg_monitor\)/],
  [
    'PostgreSQL: the pass names what was read beyond the roles\' own rights',
    { ...withFiles(), accountsExamined: ['app'], administrators: ['postgres'], alsoRead: ['rights of every role a role may SET ROLE to or inherits (NOINHERIT memberships included; predefined pg_* roles too)', 'CREATE on databases', 'parameter grants (pg_parameter_acl: ALTER SYSTEM, SET)'] },
    sampleTarget(),
    'passed',
    /parameter \(ALTER SYSTEM, SET ON PARAMETER\), role ADMIN OPTION, database CREATE.*1 roles examined .*; also read: rights of every role a role may SET ROLE to or inherits \(NOINHERIT memberships included; predefined pg_\* roles too\), CREATE on databases, parameter grants/,
  ],
] as const) {
  test(`access.least-privilege judge: ${name} -> ${verdict}`, () => expect(leastPrivilege.judge(evidence, target), verdict, reason));
}

const schema = (schemaPublicExists: boolean, publicCanCreate: boolean | null): PublicSchemaEvidence => ({ readAs, database: 'app', schemaPublicExists, acl: null, publicCanCreate });
for (const [name, evidence, verdict, reason] of [
  ['PUBLIC may create', schema(true, true), 'failed', /every role \(PUBLIC\) may CREATE/],
  ['PUBLIC may not create', schema(true, false), 'passed', /PUBLIC may not CREATE/],
  ['no schema public', schema(false, null), 'passed', /has no schema public/],
  ['privilege unknown', schema(true, null), 'undecided', /could not be read/],
  ['other databases read, none open', { ...schema(true, false), otherDatabases: [{ database: 'postgres', schemaPublicExists: true, acl: null, publicCanCreate: false }, { database: 'template1', schemaPublicExists: false, acl: null, publicCanCreate: null }] }, 'passed', /nor in the 2 other databases that accept connections \(postgres, template1: no schema public\)/],
  ['PUBLIC may create in another database only', { ...schema(true, false), otherDatabases: [{ database: 'sales', schemaPublicExists: true, acl: '{=UC/postgres}', publicCanCreate: true }] }, 'failed', /every role \(PUBLIC\) may CREATE in schema public in database "sales" \(ACL \{=UC\/postgres\}\)/],
  ['another database could not be read', { ...schema(true, false), otherDatabases: [{ database: 'hr', unreadable: 'permission denied for database "hr"' }] }, 'undecided', /schema public could not be read in "hr" \(permission denied/],
  ["Azure's maintenance database is not readable and is no finding", { ...schema(true, false), otherDatabases: [{ database: 'azure_maintenance', unreadable: 'permission denied', platform: true }] }, 'passed', /not readable, Azure platform databases: azure_maintenance/],
  ['more databases than the bound', { ...schema(true, false), otherDatabases: [], otherDatabasesProblem: '80 other databases accept connections; only the first 50 were read' }, 'undecided', /only the first 50 were read/],
  ['a failure elsewhere outweighs an unreadable database', { ...schema(true, false), otherDatabases: [{ database: 'hr', unreadable: 'x' }, { database: 'sales', schemaPublicExists: true, acl: null, publicCanCreate: true }] }, 'failed', /database "sales"/],
] as const) {
  test(`access.public-schema judge: ${name} -> ${verdict}`, () => expect(publicSchema.judge(evidence, sampleTarget()), verdict, reason));
}

const hosts = (accountsChecked: number, ...anyHost: string[]): WildcardHostsEvidence => ({ readAs, accountsChecked, anyHost: anyHost.map((user) => ({ user, account: `'${user}'@'%'` })) });
for (const [name, evidence, target, verdict, reason] of [
  ['no account at %', hosts(5), sampleTarget({ engine: 'mysql' }), 'passed', /none of 5 accounts/],
  ['app at %', hosts(5, 'app'), sampleTarget({ engine: 'mysql' }), 'failed', /'app'@'%'/],
  ['app at % declared', hosts(5, 'app'), sampleTarget({ engine: 'mysql', allow: { wildcardHosts: ['app'] } }), 'passed', /except the declared 'app'@'%'/],
  ['an empty account list', hosts(0), sampleTarget({ engine: 'mysql' }), 'undecided', /listed no account/],
] as const) {
  test(`access.no-wildcard-hosts judge: ${name} -> ${verdict}`, () => expect(noWildcardHosts.judge(evidence, target), verdict, reason));
}

const role = (name: string, validUntil: string | null, oid = 16400, daysLeft = 30) => {
  const neverExpires = validUntil === null || validUntil === 'infinity';
  return { role: name, oid, validUntil, neverExpires, daysLeft: neverExpires ? null : daysLeft };
};
const SCRAM_ONLY = { summary: '24 login paths asked (…)', byRole: { alice: [{ path: 'alice@app over tls', method: 'sasl (SCRAM-SHA-256)' }], carol: [{ path: 'carol@app over tls', method: 'md5' }] } };
const roles = (...loginRoles: TimeBoundEvidence['loginRoles']): TimeBoundEvidence => ({ readAs, loginRoles, loginMethods: SCRAM_ONLY });
const loggingIn = (method: string, rest: Partial<NonNullable<TimeBoundEvidence['loginMethods']>> = {}): TimeBoundEvidence => ({
  ...roles(role('postgres', null, 10), role('alice', '2027-01-01 00:00:00+00'), role('app', null)),
  loginMethods: { ...SCRAM_ONLY, byRole: { alice: [...SCRAM_ONLY.byRole.alice, { path: 'alice@sales over plaintext', method }], app: [{ path: 'app@app over tls', method: 'none' }] }, ...rest },
});
for (const [name, evidence, target, verdict, reason] of [
  ['a person without expiry', roles(role('postgres', null, 10), role('alice', null)), sampleTarget(), 'failed', /standing access\): alice/],
  ['a person with expiry', roles(role('postgres', null, 10), role('alice', '2027-01-01 00:00:00+00')), sampleTarget(), 'passed', /all 1 login roles of people carry an expiry at most 366 days out \(alice until 2027/],
  ['a declared workload', roles(role('app', null)), sampleTarget({ allow: { workload: ['app'] } }), 'passed', /no login role of a person exists.*app \(declared workload\)/],
  ['only exempt roles', roles(role('postgres', null, 10), role('azuresu', null)), sampleTarget(), 'passed', /no login role of a person exists, so none can hold standing access \(2 login roles read; exempt: postgres \(bootstrap superuser\), azuresu \(Azure platform role\)/],
  ['a role named like a platform role on a server that is not Azure', { ...roles(role('replication', null)), azurePlatform: false }, sampleTarget(), 'failed', /standing access\): replication/],
  ['infinity is no expiry', roles(role('bob', 'infinity')), sampleTarget(), 'failed', /bob/],
  ['an expiry in the year 9999 is standing access', roles(role('carol', '9999-12-31 00:00:00+00', 16401, 2_900_000)), sampleTarget(), 'failed', /more than 366 days out.*carol until 9999-12-31/],
  ['an expiry exactly at the horizon', roles(role('carol', '2027-12-01 00:00:00+00', 16401, 366)), sampleTarget(), 'passed', /at most 366 days out/],
  ['one day past the horizon', roles(role('carol', '2027-12-02 00:00:00+00', 16401, 367)), sampleTarget(), 'failed', /carol until 2027-12-02 00:00:00\+00 \(367 days\)/],
  ['a horizon the target sets', roles(role('carol', '2027-12-02 00:00:00+00', 16401, 367)), sampleTarget({ maxAccessDays: 400 }), 'passed', /at most 400 days out/],
  ['a stricter horizon the target sets', roles(role('carol', '2027-01-01 00:00:00+00', 16401, 31)), sampleTarget({ maxAccessDays: 30 }), 'failed', /more than 30 days out/],
  ['an expiry already past: its password no longer logs in', roles(role('dave', '2020-01-01 00:00:00+00', 16401, -2000)), sampleTarget(), 'passed', /dave until 2020/],
  ['a person let in by trust on one path: the expiry does not end that', loggingIn('none'), sampleTarget({ allow: { workload: ['app'] } }), 'failed', /VALID UNTIL ends password logins only.*alice@sales over plaintext: none/],
  ['a person let in by ident', loggingIn('ident'), sampleTarget({ allow: { workload: ['app'] } }), 'failed', /alice@sales over plaintext: ident/],
  ['a person let in by Kerberos', loggingIn('gss'), sampleTarget({ allow: { workload: ['app'] } }), 'failed', /alice@sales over plaintext: gss/],
  ['a person asked for an OAuth bearer token', loggingIn('sasl (OAUTHBEARER)'), sampleTarget({ allow: { workload: ['app'] } }), 'failed', /OAUTHBEARER/],
  ['a person asked for a cleartext password (LDAP, PAM or RADIUS, or the stored one)', loggingIn('cleartext-password'), sampleTarget({ allow: { workload: ['app'] } }), 'undecided', /LDAP, PAM or RADIUS.*alice@sales over plaintext: cleartext-password/],
  ['a person asked for MD5 or SCRAM everywhere; a declared workload let in by trust is not judged here', loggingIn('md5'), sampleTarget({ allow: { workload: ['app'] } }), 'passed', /VALID UNTIL ends their password logins, and no login path lets them in another way \(24 login paths asked.*certificate logins and local peer logins cannot be seen/],
  ['the login paths could not all be asked', loggingIn('md5', { problem: 'only 600 of 756 login paths were asked' }), sampleTarget({ allow: { workload: ['app'] } }), 'undecided', /is unknown: only 600 of 756/],
  ['a bypass found among the paths that were asked fails even when others are unknown', loggingIn('none', { problem: '3 login paths got no answer' }), sampleTarget({ allow: { workload: ['app'] } }), 'failed', /alice@sales over plaintext: none/],
  ['evidence without the login methods', { ...roles(role('alice', '2027-01-01 00:00:00+00')), loginMethods: undefined }, sampleTarget(), 'undecided', /how the server lets them log in was not read/],
  ['evidence without the distance to the expiry', roles({ role: 'carol', oid: 16401, validUntil: '2027-01-01 00:00:00+00', neverExpires: false }), sampleTarget(), 'undecided', /was not read for: carol/],
] as const) {
  test(`access.time-bound judge: ${name} -> ${verdict}`, () => expect(timeBound.judge(evidence, target), verdict, reason));
}

const compared = (...comparisons: MaskingEvidence['comparisons']): MaskingEvidence => ({ maskedRole: 'analyst', owner: 'app', sampleRows: 1000, comparisons, hashing: '' });
for (const [name, evidence, verdict, reason] of [
  ['all masked', compared({ column: 'app.customers.ssn', ownerRows: 3, masked: { rows: 3, rawValuesSeen: 0, rawValueHashes: [] } }), 'passed', /app\.customers\.ssn \(3 owner rows; 3 rows read, all masked\)/],
  ['access denied', compared({ column: 'app.customers.ssn', ownerRows: 3, masked: 'denied' }), 'passed', /access denied/],
  ['raw values seen', compared({ column: 'app.customers.ssn', ownerRows: 3, masked: { rows: 3, rawValuesSeen: 2, rawValueHashes: ['ab', 'cd'] } }), 'failed', /reads raw values of app\.customers\.ssn/],
  ['nothing compared', compared(), 'undecided', /no sensitive column was compared/],
  [
    'MySQL: the masked user is a second account at another host',
    { ...compared({ column: 'app.customers.ssn', ownerRows: 3, masked: 'denied' }), maskedAccounts: { listed: ["'analyst'@'127.0.0.1'", "'analyst'@'%'"], readAs, readAsAccount: "'analyst'@'127.0.0.1'" } },
    'undecided',
    /"analyst" is 2 accounts \('analyst'@'127\.0\.0\.1', 'analyst'@'%'\).*made as 'analyst'@'127\.0\.0\.1', so what 'analyst'@'%' may read was not seen/,
  ],
  [
    'MySQL: the reads landed in an account the catalog does not list for the masked user (an anonymous one)',
    { ...compared({ column: 'app.customers.ssn', ownerRows: 3, masked: 'denied' }), maskedAccounts: { listed: ["'analyst'@'%'"], readAs, readAsAccount: "''@'localhost'" } },
    'undecided',
    /let in as ''@'localhost', which is not among the accounts the catalog lists for "analyst" \('analyst'@'%'/,
  ],
  ['MySQL: whether the masked user has other accounts could not be read', { ...compared({ column: 'app.customers.ssn', ownerRows: 3, masked: 'denied' }), maskedAccounts: 'SELECT command denied' }, 'undecided', /could not be read: SELECT command denied/],
  [
    'MySQL: one account of the masked user, named in the pass',
    { ...compared({ column: 'app.customers.ssn', ownerRows: 3, masked: 'denied' }), maskedAccounts: { listed: ["'analyst'@'127.0.0.1'"], readAs, readAsAccount: "'analyst'@'127.0.0.1'" } },
    'passed',
    /access denied\); its logins were let in as 'analyst'@'127\.0\.0\.1', the only account of that user name in the catalog/,
  ],
  ['MySQL: a leak outweighs the other accounts', { ...compared({ column: 'app.customers.ssn', ownerRows: 3, masked: { rows: 3, rawValuesSeen: 1, rawValueHashes: ['ab'] } }), maskedAccounts: { listed: ["'analyst'@'127.0.0.1'", "'analyst'@'%'"], readAs, readAsAccount: "'analyst'@'127.0.0.1'" } }, 'failed', /reads raw values/],
] as const) {
  test(`access.masking judge: ${name} -> ${verdict}`, () => expect(masking.judge(evidence, sampleTarget()), verdict, reason));
}
