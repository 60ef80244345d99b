/** Role reach over MySQL/MariaDB role grants, without a server: chains, cycles and MariaDB's PUBLIC. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountFromRow, reachableRoles, type AuthAlternative, type MysqlAccount, type RoleGrant } from '../../../src/probes/catalog/mysql-accounts.js';

const account = (user: string, host: string, isRole = false): MysqlAccount => ({
  user,
  host,
  plugin: isRole ? '' : 'ed25519',
  passwordPlugins: isRole ? [] : ['ed25519'],
  hasCredential: !isRole,
  passwordless: false,
  unknownPluginsWithoutCredential: [],
  locked: false,
  isRole,
  globalPrivileges: [],
  allGlobalPrivileges: false,
  sslType: '',
});
const grant = (grantee: [string, string], role: string): RoleGrant => ({ grantee: { user: grantee[0], host: grantee[1] }, role: { user: role, host: '' } });
const app = account('app', '127.0.0.1');
const reached = (grants: RoleGrant[], accounts: MysqlAccount[]) =>
  reachableRoles(app, grants, accounts).map(({ role, via }) => `${[...via, role.user].join(' -> ')}`).sort();

test('reachable roles: none granted, no PUBLIC -> none', () => assert.deepEqual(reached([], [app]), []));

test('reachable roles: a chain is followed to its end', () =>
  assert.deepEqual(reached([grant(['app', '127.0.0.1'], 'mid'), grant(['mid', ''], 'top'), grant(['other', '%'], 'elsewhere')], [app]), ['mid', 'mid -> top']));

test('reachable roles: a grant to the same user name at another host does not count', () =>
  assert.deepEqual(reached([grant(['app', 'localhost'], 'dba')], [app]), []));

test('reachable roles: a cycle ends', () =>
  assert.deepEqual(reached([grant(['app', '127.0.0.1'], 'a'), grant(['a', ''], 'b'), grant(['b', ''], 'a')], [app]), ['a', 'a -> b']));

test("reachable roles: MariaDB's PUBLIC, and what is granted to it, reach every account", () =>
  assert.deepEqual(reached([grant(['PUBLIC', ''], 'reader')], [app, account('PUBLIC', '', true)]), ['PUBLIC', 'PUBLIC -> reader']));

test('reachable roles: an account named PUBLIC that is not a role is no PUBLIC', () =>
  assert.deepEqual(reached([], [app, account('PUBLIC', '%')]), []));

// One mysql.user row (and MariaDB's other IDENTIFIED VIA alternatives) read into what the account
// checks judge. parsec (MariaDB 11.6) was missing from the password plugins: an empty parsec
// password was not counted passwordless, and auth.no-passwordless could pass.
const row = (plugin: string, authentication_string: string) => ({ User: 'svc', Host: '%', plugin, authentication_string });
const accountRows: Array<[string, Record<string, unknown>, AuthAlternative[], Partial<MysqlAccount>]> = [
  ['an empty parsec password', row('parsec', ''), [], { passwordless: true, unknownPluginsWithoutCredential: [], hasCredential: false }],
  ['a parsec password', row('parsec', 'P0:salt:hash'), [], { passwordless: false, passwordPlugins: ['parsec'], hasCredential: true }],
  ['an empty native password', row('mysql_native_password', ''), [], { passwordless: true }],
  ['no plugin and no hash (pre-plugin row)', row('', ''), [], { passwordless: true }],
  ['unix_socket keeps no password: not passwordless', row('unix_socket', ''), [], { passwordless: false, unknownPluginsWithoutCredential: [] }],
  ['an unknown plugin with nothing stored is neither', row('auth_custom', ''), [], { passwordless: false, unknownPluginsWithoutCredential: ['auth_custom'] }],
  ['an unknown plugin with something stored is judged as a stored password', row('auth_custom', 'xyz'), [], { passwordless: false, passwordPlugins: ['auth_custom'], unknownPluginsWithoutCredential: [] }],
  ['unix_socket OR an empty parsec alternative', row('unix_socket', ''), [{ plugin: 'parsec', empty: true }], { passwordless: true }],
  ['unix_socket OR a parsec alternative with a password', row('unix_socket', ''), [{ plugin: 'parsec', empty: false }], { passwordless: false, passwordPlugins: ['parsec'], hasCredential: true }],
  ['unix_socket OR an unknown alternative with a credential', row('unix_socket', ''), [{ plugin: 'auth_custom', empty: false }], { passwordPlugins: ['auth_custom'], hasCredential: true }],
  ['unix_socket OR an unknown alternative with nothing stored', row('unix_socket', ''), [{ plugin: 'auth_custom', empty: true }], { passwordless: false, unknownPluginsWithoutCredential: ['auth_custom'] }],
  ['a plugin named in capitals (MariaDB keeps the case written): UNIX_SOCKET keeps no password', row('UNIX_SOCKET', ''), [], { passwordless: false, unknownPluginsWithoutCredential: [] }],
  ['a plugin named in mixed case: an empty Ed25519 password is passwordless', row('Ed25519', ''), [], { passwordless: true, unknownPluginsWithoutCredential: [] }],
  ['MariaDB "invalid": no password login possible', row('mysql_native_password', 'invalid'), [], { passwordless: false, hasCredential: false }],
];
for (const [name, accountRow, alternatives, expected] of accountRows) {
  test(`account row: ${name}`, () => {
    const read = accountFromRow(accountRow, alternatives);
    assert.deepEqual(Object.fromEntries(Object.keys(expected).map((key) => [key, read[key as keyof MysqlAccount]])), expected);
  });
}
