/**
 * Table tests of how access.app-not-superuser judges the logins foreign servers hand the
 * application (postgres-foreign-logins.ts): which mappings are a superuser's login to this host
 * (failed), which cannot be decided (options hidden, another host that may be this one, a service
 * file), and which are not counted, with why. No server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appNotSuperuser, type SuperuserEvidence } from '../../../src/probes/access/app-not-superuser.js';
import { loginNameOf, type ForeignLogin, type ForeignLoginOptions, type LoginPower } from '../../../src/probes/access/postgres-foreign-logins.js';
import { sampleTarget } from '../../support/sample-target.js';

const POSTGRES: LoginPower = { role: 'postgres', exists: true, canLogin: true, superuserPaths: ['role "postgres" is SUPERUSER'], undecided: [] };
const ALICE: LoginPower = { role: 'alice', exists: true, canLogin: true, superuserPaths: [], undecided: [] };

const mapping = (options: Partial<ForeignLoginOptions> | null, login: LoginPower | null = POSTGRES, rest: Partial<ForeignLogin> = {}): ForeignLogin => ({
  server: 'loopback',
  wrapper: 'postgres_fdw',
  validator: 'postgres_fdw_validator',
  usedAs: 'app',
  usageVia: ['app'],
  mappingFor: 'app',
  options: options === null ? null : { password: true, passwordNotRequired: false, user: 'postgres', ...options },
  ...(login ? { login } : {}),
  ...rest,
});

const evidence = (logins: ForeignLogin[], otherServers: string[] = []): SuperuserEvidence => ({
  readAs: 'read as the declared auditor "auditor"',
  application: 'app',
  superuserPaths: [],
  accountsSeen: ['app'],
  foreignLogins: { database: 'app', thisServer: ['db1.example.test', '10.0.0.5'], logins, otherServers },
});

for (const [name, logins, verdict, reason] of [
  ['no foreign server it may use', [], 'passed', /user mappings with a stored password or password_required 'false' on the 0 foreign servers of postgres_fdw, dblink_fdw or a wrapper without a validator that it, or a role it may SET ROLE to, may use \(USAGE, or a foreign table of it that it owns\) in database "app"/],
  [
    "options the reading account may not see",
    [mapping(null, null, { mappingFor: 'PUBLIC', usageVia: ['PUBLIC'] })],
    'undecided',
    /could not be decided: foreign server "loopback" \(postgres_fdw, USAGE granted to PUBLIC\) and the user mapping for PUBLIC: the reading account may not see the mapping's options/,
  ],
  ['a superuser with its password, over a Unix socket', [mapping({ host: '/var/run/postgresql' })], 'failed', /may log in as "postgres" through foreign server "loopback" \(postgres_fdw, USAGE granted to it\) and the user mapping for app: a stored password, to host \/var\/run\/postgresql, this database host; and "postgres" has superuser power: role "postgres" is SUPERUSER/],
  [
    'no USAGE, but it owns foreign tables of the server',
    [mapping({ host: '/var/run/postgresql' }, POSTGRES, { mappingFor: 'PUBLIC', usageVia: [], withoutUsage: true, ownedForeignTables: { count: 7, names: ['own.a', 'own.b', 'own.c', 'own.d', 'own.e'] } })],
    'failed',
    /may log in as "postgres" through foreign server "loopback" \(postgres_fdw, no USAGE, but it owns its foreign tables own\.a, own\.b, own\.c, own\.d, own\.e and 2 more, which an owner may point at any relation there \(ALTER FOREIGN TABLE \.\.\. OPTIONS\)\) and the user mapping for PUBLIC: a stored password/,
  ],
  ["password_required 'false' and no host: libpq's default socket", [mapping({ password: false, passwordNotRequired: true })], 'failed', /password_required 'false', to libpq's default Unix socket \(no host option\), this database host/],
  ['localhost among several hosts', [mapping({ host: 'replica.example.test,localhost', port: '5433' })], 'failed', /to host replica\.example\.test,localhost port 5433, this database host/],
  ['a loopback hostaddr other than 127.0.0.1', [mapping({ host: 'db.example.test', hostaddr: '127.0.0.2' })], 'failed', /to hostaddr 127\.0\.0\.2, host db\.example\.test, this database host/],
  ['the unspecified address, which Linux connects to itself', [mapping({ host: '0.0.0.0' })], 'failed', /to host 0\.0\.0\.0, this database host/],
  ['an IPv4-mapped loopback address', [mapping({ host: '::ffff:127.0.0.1' })], 'failed', /to host ::ffff:127\.0\.0\.1, this database host/],
  ['the name this server is reached by, in other case', [mapping({ host: 'DB1.example.test.' })], 'failed', /to host DB1\.example\.test\., this database host/],
  ['the address the catalog session reached', [mapping({ host: '10.0.0.5' })], 'failed', /to host 10\.0\.0\.5, this database host/],
  [
    'no user option: the server operating-system user, taken as the bootstrap superuser',
    [mapping({ user: undefined, host: '' }, { ...POSTGRES, assumed: true })],
    'failed',
    /may log in as "postgres" \(no user option: libpq logs in as the server's operating-system user's name, which initdb gives the bootstrap superuser\) through/,
  ],
  [
    'a role with superuser power short of the attribute, after SET ROLE',
    [mapping({ user: 'loader', host: 'localhost' }, { role: 'loader', exists: true, canLogin: true, superuserPaths: ['member of predefined role "pg_execute_server_program" (runs shell commands)'], undecided: [] }, { usedAs: 'etl', usageVia: ['etl'] })],
    'failed',
    /may log in as "loader" through foreign server "loopback" \(postgres_fdw, after SET ROLE etl, USAGE granted to etl\).*and "loader" has superuser power: member of predefined role "pg_execute_server_program"/,
  ],
  [
    'a superuser of this server on another host: it may be this server under another address',
    [mapping({ host: '192.0.2.10' })],
    'undecided',
    /foreign server "loopback" .*: a stored password, as "postgres", which has superuser power here \(role "postgres" is SUPERUSER\), to host 192\.0\.2\.10: whether that is this server under another name or address cannot be told from the catalog/,
  ],
  ['an ordinary role on another host: not counted', [mapping({ host: '192.0.2.10', user: 'alice' }, ALICE)], 'passed', /not counted: foreign server "loopback" .*: a stored password, as "alice", to host 192\.0\.2\.10, a role without superuser power here/],
  ['an ordinary role on this host: not counted', [mapping({ host: 'localhost', user: 'alice' }, ALICE)], 'passed', /as "alice", to host localhost, this database host, a role without superuser power here/],
  ['no stored password: refused to a role that is not a superuser', [mapping({ password: false, host: 'localhost' })], 'passed', /not counted: foreign server "loopback" .*: no stored password/],
  ['a role this server does not have', [mapping({ user: 'ghost', host: 'localhost' }, { ...ALICE, role: 'ghost', exists: false, canLogin: false })], 'passed', /as "ghost", no role of this server/],
  ['a superuser that may not log in', [mapping({ host: 'localhost' }, { ...POSTGRES, canLogin: false })], 'passed', /as "postgres", which may not log in/],
  ['a service file names the host', [mapping({ service: 'central' })], 'undecided', /to the host of service "central" in the server's pg_service\.conf: whether that is this server/],
  ['a service file names the user, on this host', [mapping({ service: 'central', user: undefined, host: 'localhost' }, null)], 'undecided', /as the user its service "central" names in the server's pg_service\.conf, which cannot be read from here/],
  ['a service file names the user, on another host', [mapping({ service: 'central', user: undefined, host: '192.0.2.10' }, null)], 'passed', /not counted: .*to host 192\.0\.2\.10, as the user its service "central" names/],
  [
    'a login role whose own power could not be decided',
    [mapping({ user: 'etl', host: 'localhost' }, { role: 'etl', exists: true, canLogin: true, superuserPaths: [], undecided: ['foreign server "far" (...) and the user mapping for etl: the reading account may not see the mapping\'s options'] })],
    'undecided',
    /as "etl", to host localhost, this database host; whether "etl" has superuser power could not be decided: foreign server "far"/,
  ],
] as const) {
  test(`access.app-not-superuser judge: foreign login, ${name} -> ${verdict}`, () => {
    const judgement = appNotSuperuser.judge(evidence([...logins]), sampleTarget());
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}

test('access.app-not-superuser judge: foreign login, servers of other wrappers are named as not counted -> passed', () => {
  const judgement = appNotSuperuser.judge(evidence([], ['oracle (oracle_fdw)']), sampleTarget());
  assert.equal(judgement.verdict, 'passed', judgement.reason);
  assert.match(judgement.reason, /servers of other wrappers not counted \(neither postgres_fdw nor dblink connects through them\): oracle \(oracle_fdw\)/);
});

test('access.app-not-superuser judge: a superuser path beside an undecided foreign login -> failed', () => {
  const judgement = appNotSuperuser.judge({ ...evidence([mapping(null)]), superuserPaths: ['role "app" is SUPERUSER'] }, sampleTarget());
  assert.equal(judgement.verdict, 'failed', judgement.reason);
});

for (const [name, logins, verdict, reason] of [
  [
    "a role this server does not have, on this host's socket on another port: another cluster, whose roles are not read here",
    [mapping({ host: '/var/run/postgresql', port: '5433', user: 'admin' }, { ...ALICE, role: 'admin', exists: false, canLogin: false })],
    'undecided',
    /as "admin", to host \/var\/run\/postgresql port 5433, this database host, on port 5433 where this server listens on 5432: another cluster on this host, whose roles cannot be read from here \(here it is no role\)/,
  ],
  [
    'an ordinary role here, on localhost on another port',
    [mapping({ host: 'localhost', port: '5434', user: 'alice' }, ALICE)],
    'undecided',
    /as "alice", to host localhost port 5434, this database host, on port 5434 where this server listens on 5432: another cluster on this host, .*\(here it has no superuser power\)/,
  ],
  ['a role this server does not have, on its own port', [mapping({ host: 'localhost', port: '5432', user: 'ghost' }, { ...ALICE, role: 'ghost', exists: false, canLogin: false })], 'passed', /as "ghost", no role of this server/],
  ['an ordinary role, no port option, this server on the default port', [mapping({ host: 'localhost', user: 'alice' }, ALICE)], 'passed', /as "alice", to host localhost, this database host, a role without superuser power here/],
  ['an ordinary role on another host, another port: not counted', [mapping({ host: '192.0.2.10', port: '5433', user: 'alice' }, ALICE)], 'passed', /as "alice", to host 192\.0\.2\.10 port 5433, a role without superuser power here/],
  ['a superuser here, on another port of this host: still a superuser login', [mapping({ host: 'localhost', port: '5433' })], 'failed', /may log in as "postgres" .*to host localhost port 5433, this database host; and "postgres" has superuser power/],
] as const) {
  test(`access.app-not-superuser judge: foreign login, this server on port 5432, ${name} -> ${verdict}`, () => {
    const read = evidence([...logins]);
    const judgement = appNotSuperuser.judge({ ...read, foreignLogins: { ...read.foreignLogins!, thisPort: '5432' } }, sampleTarget());
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}

test("access.app-not-superuser judge: foreign login, this server on port 5433, no port option (libpq's 5432) to this host as an ordinary role -> undecided", () => {
  const read = evidence([mapping({ host: '', user: 'alice' }, ALICE)]);
  const judgement = appNotSuperuser.judge({ ...read, foreignLogins: { ...read.foreignLogins!, thisPort: '5433' } }, sampleTarget());
  assert.equal(judgement.verdict, 'undecided', judgement.reason);
  assert.match(judgement.reason, /on port 5432 \(libpq's default: no port option\) where this server listens on 5433: another cluster/);
});

test('loginNameOf: the user option, else the bootstrap superuser, else (a service file) unknown', () => {
  assert.deepEqual(loginNameOf({ user: 'etl', password: true, passwordNotRequired: false }), { user: 'etl' });
  assert.equal(loginNameOf({ password: true, passwordNotRequired: false }), 'bootstrap');
  assert.equal(loginNameOf({ service: 'central', password: true, passwordNotRequired: false }), undefined);
  assert.deepEqual(loginNameOf({ service: 'central', user: 'etl', password: true, passwordNotRequired: false }), { user: 'etl' });
});
