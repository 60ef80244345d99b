import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTargets } from '../../src/targets/resolve-targets.js';
import { ConfigError } from '../../src/targets/config-error.js';

const dir = await mkdtemp(join(tmpdir(), 'dbcomply-config-'));
after(() => rm(dir, { recursive: true, force: true }));
const caFile = join(dir, 'ca.pem');
await writeFile(caFile, 'not checked here');

async function configFile(yaml: string): Promise<string> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, yaml);
  return path;
}

const cases: Array<{ name: string; sources: () => Promise<Parameters<typeof resolveTargets>[0]>; field: RegExp; expected: RegExp }> = [
  { name: 'unknown engine', sources: async () => ({ urls: ['oracle://db:1521/x'] }), field: /--target #1/, expected: /unknown engine "oracle"/ },
  { name: 'not a URL', sources: async () => ({ urls: ['db.example:5432'] }), field: /--target #1/, expected: /expected a URL/ },
  { name: 'unknown URL parameter', sources: async () => ({ urls: ['postgres://db/x?sslmod=require'] }), field: /\?sslmod/, expected: /unknown parameter/ },
  { name: 'port out of range in a URL', sources: async () => ({ urls: ['postgres://db:99999/x'] }), field: /--target #1/, expected: /port 99999 is out of range/ },
  { name: 'unset password variable in a URL', sources: async () => ({ urls: ['postgres://app@db/x?passwordEnv=DBCOMPLY_TEST_UNSET_VARIABLE'] }), field: /\?passwordEnv/, expected: /DBCOMPLY_TEST_UNSET_VARIABLE is not set/ },
  { name: 'bad timeout', sources: async () => ({ urls: ['postgres://db/x?timeout=soon'] }), field: /\?timeout/, expected: /positive whole number/ },
  { name: 'unreadable CA file', sources: async () => ({ urls: ['postgres://db/x?sslrootcert=/nonexistent/ca.pem'] }), field: /CA file/, expected: /cannot read/ },
  { name: 'duplicate names', sources: async () => ({ urls: ['postgres://a/x?name=db', 'mysql://b/x?name=db'] }), field: /--target #2 name/, expected: /duplicate/ },
  { name: 'unsafe name', sources: async () => ({ urls: ['postgres://a/x?name=../etc'] }), field: /name/, expected: /letters, digits/ },
  { name: 'missing config file', sources: async () => ({ urls: [], configFile: join(dir, 'absent.yaml') }), field: /--config/, expected: /cannot read/ },
  { name: 'YAML syntax', sources: async () => ({ urls: [], configFile: await configFile('targets: [\n') }), field: /config-/, expected: /not valid YAML/ },
  { name: 'no targets', sources: async () => ({ urls: [], configFile: await configFile('targets: []\n') }), field: /config\.targets/, expected: /non-empty list/ },
  {
    name: 'password written in the file',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    password: hunter2\n') }),
    field: /targets\[0\]\.password/,
    expected: /passwordEnv/,
  },
  {
    name: 'password inside a URL in the file',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app:hunter2@db/x\n') }),
    field: /targets\[0\]\.url/,
    expected: /holds a password/,
  },
  {
    name: 'missing password variable',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    passwordEnv: DBCOMPLY_TEST_UNSET_VARIABLE\n') }),
    field: /targets\[0\]\.passwordEnv/,
    expected: /DBCOMPLY_TEST_UNSET_VARIABLE is not set/,
  },
  {
    name: 'bad profile',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    profile: paranoid\n') }),
    field: /targets\[0\]\.profile/,
    expected: /baseline or strict/,
  },
  {
    name: 'unknown key',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    hots: db\n') }),
    field: /targets\[0\]\.hots/,
    expected: /unknown key/,
  },
  {
    name: 'port out of range',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    engine: mysql\n    host: db\n    port: 70000\n') }),
    field: /targets\[0\]\.port/,
    expected: /65535/,
  },
  {
    name: 'unknown engine in file',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    engine: mssql\n    host: db\n') }),
    field: /targets\[0\]\.engine/,
    expected: /postgres or mysql/,
  },
  {
    name: 'Entra principal without a user',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    entra:\n      tenantId: contoso.example\n') }),
    field: /targets\[0\]\.entra\.user/,
    expected: /role or account/,
  },
  {
    name: 'Entra client secret written in the file',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    entra:\n      user: app-id\n      clientSecret: hunter2\n') }),
    field: /targets\[0\]\.entra\.clientSecret/,
    expected: /clientSecretEnv/,
  },
  {
    name: 'unset Entra client secret variable',
    sources: async () => ({
      urls: [],
      configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    entra:\n      user: app-id\n      tenantId: t\n      clientId: c\n      clientSecretEnv: DBCOMPLY_TEST_UNSET_VARIABLE\n'),
    }),
    field: /targets\[0\]\.entra\.clientSecretEnv/,
    expected: /DBCOMPLY_TEST_UNSET_VARIABLE is not set/,
  },
  {
    name: 'Entra authority over plain HTTP',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    entra:\n      user: app-id\n      authorityHost: http://login.example\n') }),
    field: /targets\[0\]\.entra\.authorityHost/,
    expected: /https:\/\//,
  },
  {
    name: 'unreadable Entra authority CA file',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    entra:\n      user: app-id\n      caFile: /nonexistent/ca.pem\n') }),
    field: /targets\[0\]\.entra\.caFile/,
    expected: /cannot read/,
  },
];

for (const { name, sources, field, expected } of cases) {
  test(`configuration error: ${name}`, async () => {
    await assert.rejects(resolveTargets(await sources()), (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
      assert.match(error.field, field);
      assert.match(error.message, expected);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });
}

test('a URL target keeps its parts and hands the password to the secret store, not the target', async () => {
  const [target] = await resolveTargets({ urls: [`postgres://app:s3cr%40t@db.example:6432/orders?sslrootcert=${caFile}&timeout=2000`], profile: 'strict' });
  assert.deepEqual(
    { ...target },
    { name: 'db.example-6432', engine: 'postgres', host: 'db.example', port: 6432, user: 'app', database: 'orders', caFile, timeoutMs: 2000, minCertDaysLeft: 30, profile: 'strict' },
  );
  assert.doesNotMatch(JSON.stringify(target), /s3cr/);
});

test('a URL target can take its password from an environment variable', async () => {
  process.env.DBCOMPLY_TEST_URL_PASSWORD = 'from-url-env';
  await resolveTargets({ urls: ['mysql://app@db/x?name=url-env&passwordEnv=DBCOMPLY_TEST_URL_PASSWORD'] });
  const { passwordFor } = await import('../../src/targets/secret-store.js');
  assert.equal(passwordFor('url-env'), 'from-url-env');
});

test('--profile overrides the profiles written in the config file', async () => {
  const path = await configFile('profile: baseline\ntargets:\n  - name: a\n    url: postgres://app@db/x\n    profile: baseline\n');
  const [target] = await resolveTargets({ urls: [], configFile: path, profile: 'strict' });
  assert.equal(target.profile, 'strict');
});

test('a config target takes its password from the named environment variable and its CA path relative to the file', async () => {
  process.env.DBCOMPLY_TEST_PASSWORD = 'from-env';
  const path = await configFile('profile: strict\ntargets:\n  - name: orders\n    url: mysql://app@db:3307/orders\n    passwordEnv: DBCOMPLY_TEST_PASSWORD\n    caFile: ca.pem\n    profile: baseline\n  - name: billing\n    engine: mariadb\n    host: db2\n');
  const [orders, billing] = await resolveTargets({ urls: [], configFile: path });
  assert.equal(orders.caFile, caFile);
  assert.equal(orders.profile, 'baseline');
  assert.equal(orders.port, 3307);
  assert.equal(billing.profile, 'strict');
  assert.equal(billing.engine, 'mysql');
  assert.equal(billing.port, 3306);
  const { passwordFor } = await import('../../src/targets/secret-store.js');
  assert.equal(passwordFor('orders'), 'from-env');
});

test('an Entra principal keeps its settings in the target and its client secret in the secret store', async () => {
  process.env.DBCOMPLY_TEST_ENTRA_SECRET = 'entra-secret-from-env';
  const path = await configFile(
    'targets:\n  - name: entra\n    url: postgres://app@db/x\n    entra:\n      user: reporting-app\n      tenantId: contoso.example\n      clientId: 0000-app\n      clientSecretEnv: DBCOMPLY_TEST_ENTRA_SECRET\n      authorityHost: https://login.example/\n      caFile: ca.pem\n      expiryWait: 20000\n',
  );
  const [target] = await resolveTargets({ urls: [], configFile: path });
  assert.deepEqual(target.entra, {
    user: 'reporting-app',
    tenantId: 'contoso.example',
    clientId: '0000-app',
    authorityHost: 'https://login.example',
    caFile,
    expiryWaitMs: 20000,
  });
  assert.doesNotMatch(JSON.stringify(target), /entra-secret-from-env/);
  const { entraClientSecretFor } = await import('../../src/targets/secret-store.js');
  assert.equal(entraClientSecretFor('entra'), 'entra-secret-from-env');
});
