/** Role reach over MySQL/MariaDB role grants, without a server: chains, cycles and MariaDB's PUBLIC. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reachableRoles, type MysqlAccount, type RoleGrant } from '../../../src/probes/catalog/mysql-accounts.js';

const account = (user: string, host: string, isRole = false): MysqlAccount => ({
  user,
  host,
  plugin: isRole ? '' : 'ed25519',
  passwordPlugins: isRole ? [] : ['ed25519'],
  hasCredential: !isRole,
  passwordless: false,
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
