import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTargets } from '../../src/targets/resolve-targets.js';
import { ConfigError } from '../../src/targets/config-error.js';

const dir = await mkdtemp(join(tmpdir(), 'dbcomply-config-'));
after(() => rm(dir, { recursive: true, force: true }));
process.env.DBCOMPLY_TEST_EMPTY_VARIABLE = '';
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
  { name: 'unknown sslnegotiation', sources: async () => ({ urls: ['postgres://db/x?sslnegotiation=tls'] }), field: /\?sslnegotiation/, expected: /expected postgres or direct, got "tls"/ },
  { name: 'empty sslnegotiation', sources: async () => ({ urls: ['postgres://db/x?sslnegotiation='] }), field: /\?sslnegotiation/, expected: /expected postgres or direct/ },
  { name: 'max-login-paths on a MySQL URL', sources: async () => ({ urls: ['mysql://db/x?max-login-paths=10'] }), field: /\?max-login-paths/, expected: /MySQL and MariaDB have none/ },
  { name: 'empty max-login-paths', sources: async () => ({ urls: ['postgres://db/x?max-login-paths='] }), field: /\?max-login-paths/, expected: /positive whole number, got nothing/ },
  { name: 'zero max-login-paths', sources: async () => ({ urls: ['postgres://db/x?max-login-paths=0'] }), field: /\?max-login-paths/, expected: /positive whole number, got "0"/ },
  { name: 'sslnegotiation on a MySQL URL', sources: async () => ({ urls: ['mysql://db/x?sslnegotiation=direct'] }), field: /\?sslnegotiation/, expected: /PostgreSQL parameter/ },
  {
    name: 'unknown sslnegotiation in a config file URL',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x?sslnegotiation=Direct\n') }),
    field: /targets\[0\]\.url \?sslnegotiation/,
    expected: /expected postgres or direct, got "Direct"/,
  },
  { name: 'port out of range in a URL', sources: async () => ({ urls: ['postgres://db:99999/x'] }), field: /--target #1/, expected: /port 99999 is out of range/ },
  { name: 'unset password variable in a URL', sources: async () => ({ urls: ['postgres://app@db/x?passwordEnv=DBCOMPLY_TEST_UNSET_VARIABLE'] }), field: /\?passwordEnv/, expected: /DBCOMPLY_TEST_UNSET_VARIABLE is not set/ },
  // A CI secret that does not exist expands to an empty string: named, not left to the driver's "client password must be a string".
  { name: 'empty password variable in a URL', sources: async () => ({ urls: ['postgres://app@db/x?passwordEnv=DBCOMPLY_TEST_EMPTY_VARIABLE'] }), field: /\?passwordEnv/, expected: /DBCOMPLY_TEST_EMPTY_VARIABLE is empty/ },
  {
    name: 'empty password variable in a config file',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    passwordEnv: DBCOMPLY_TEST_EMPTY_VARIABLE\n') }),
    field: /targets\[0\]\.passwordEnv/,
    expected: /DBCOMPLY_TEST_EMPTY_VARIABLE is empty \(a CI secret that does not exist expands to an empty string\)/,
  },
  {
    name: 'empty auditor password variable',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    auditor: { user: auditor, passwordEnv: DBCOMPLY_TEST_EMPTY_VARIABLE }\n') }),
    field: /targets\[0\]\.auditor\.passwordEnv/,
    expected: /is empty/,
  },
  // Node's timers hold 2^31-1 ms; a larger timeout silently became 1 ms (TimeoutOverflowWarning) and every probe timed out at once.
  { name: 'timeout beyond what a timer can hold, in a URL', sources: async () => ({ urls: ['postgres://db/x?timeout=99999999999999'] }), field: /\?timeout/, expected: /at most 600000/ },
  {
    name: 'timeout beyond what a timer can hold, in a config file',
    sources: async () => ({ urls: [], configFile: await configFile('timeout: 99999999999999\ntargets:\n  - name: a\n    url: postgres://app@db/x\n') }),
    field: /config\.timeout/,
    expected: /at most 600000/,
  },
  { name: 'bad timeout', sources: async () => ({ urls: ['postgres://db/x?timeout=soon'] }), field: /\?timeout/, expected: /positive whole number/ },
  { name: 'unreadable CA file', sources: async () => ({ urls: ['postgres://db/x?sslrootcert=/nonexistent/ca.pem'] }), field: /CA file/, expected: /cannot read/ },
  // sslrootcert=/etc/ssl/certs (a directory, as libpq's sslrootcert never is) left every TLS control undecided with "EISDIR".
  { name: 'a directory as the CA file', sources: async () => ({ urls: [`postgres://db/x?sslrootcert=${dir}`] }), field: /--target #1 CA file/, expected: /is not a file: name the PEM file that holds the CA certificates/ },
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
    name: 'intrusive not a boolean',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    intrusive: yes please\n') }),
    field: /targets\[0\]\.intrusive/,
    expected: /true or false/,
  },
  {
    name: 'auditor without a password variable',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    auditor: { user: audit }\n') }),
    field: /targets\[0\]\.auditor\.passwordEnv/,
    expected: /name the environment variable/,
  },
  {
    name: 'auditor password written in the file',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    auditor: { user: audit, password: hunter2 }\n') }),
    field: /targets\[0\]\.auditor\.password/,
    expected: /passwordEnv/,
  },
  {
    name: 'masked column not schema.table.column',
    sources: async () => ({
      urls: [],
      configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    masking: { role: r, passwordEnv: HOME, columns: [customers.ssn] }\n'),
    }),
    field: /targets\[0\]\.masking\.columns/,
    expected: /schema\.table\.column/,
  },
  {
    name: 'allow list not a list',
    sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    allow: { workload: app }\n') }),
    field: /targets\[0\]\.allow\.workload/,
    expected: /list of non-empty strings/,
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
  ...networkCases(),
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

/** A target entry with a `network` mapping, indented for the file. */
function withNetwork(network: string): () => Promise<{ urls: string[]; configFile: string }> {
  return async () => ({ urls: [], configFile: await configFile(`targets:\n  - name: a\n    url: postgres://app@db/x\n    network:\n${network.replace(/^/gm, '      ')}\n`) });
}

function networkCases(): typeof cases {
  const inside = '- { name: inside, expect: allowed, sourceAddress: 10.0.0.5 }';
  return [
    { name: 'network is not a mapping', sources: async () => ({ urls: [], configFile: await configFile('targets:\n  - name: a\n    url: postgres://app@db/x\n    network: open\n') }), field: /targets\[0\]\.network$/, expected: /expected a mapping/ },
    { name: 'unknown network key', sources: withNetwork('firewall: on'), field: /targets\[0\]\.network\.firewall/, expected: /unknown key/ },
    { name: 'empty vantage point list', sources: withNetwork('from: []'), field: /targets\[0\]\.network\.from$/, expected: /non-empty list/ },
    { name: 'bad expect', sources: withNetwork(`from:\n  ${inside}\n  - { name: outside, expect: blocked, sourceAddress: 10.0.0.6 }`), field: /targets\[0\]\.network\.from\[1\]\.expect/, expected: /allowed or denied/ },
    { name: 'vantage point with both source kinds', sources: withNetwork(`from:\n  - { name: x, expect: denied, sourceAddress: 10.0.0.6, namespace: ns1 }\n  ${inside}`), field: /targets\[0\]\.network\.from\[0\]$/, expected: /exactly one of sourceAddress/ },
    { name: 'vantage point with neither source kind', sources: withNetwork(`from:\n  - { name: x, expect: denied }\n  ${inside}`), field: /targets\[0\]\.network\.from\[0\]$/, expected: /exactly one of sourceAddress/ },
    { name: 'source address that is a name', sources: withNetwork(`from:\n  - { name: x, expect: denied, sourceAddress: gateway.example }\n  ${inside}`), field: /from\[0\]\.sourceAddress/, expected: /IPv4 or IPv6 address/ },
    { name: 'namespace name with a path', sources: withNetwork(`from:\n  - { name: x, expect: denied, namespace: ../etc }\n  ${inside}`), field: /from\[0\]\.namespace/, expected: /namespace name/ },
    { name: 'no denied vantage point', sources: withNetwork(`from:\n  ${inside}`), field: /targets\[0\]\.network\.from$/, expected: /expect: denied/ },
    { name: 'no allowed vantage point', sources: withNetwork('from:\n  - { name: x, expect: denied, sourceAddress: 10.0.0.6 }'), field: /targets\[0\]\.network\.from$/, expected: /expect: allowed/ },
    { name: 'duplicate vantage point names', sources: withNetwork(`from:\n  ${inside}\n  - { name: inside, expect: denied, sourceAddress: 10.0.0.6 }`), field: /from\[1\]\.name/, expected: /duplicate/ },
    { name: 'access other than private', sources: withNetwork('access: public'), field: /targets\[0\]\.network\.access/, expected: /"private"/ },
    { name: 'resolver that is not an address', sources: withNetwork('resolver: dns.example'), field: /targets\[0\]\.network\.resolver\[0\]/, expected: /IP address with an optional port/ },
    { name: 'resolver port out of range', sources: withNetwork('resolver: [ 127.0.0.1:70000 ]'), field: /targets\[0\]\.network\.resolver\[0\]/, expected: /IP address with an optional port/ },
  ];
}

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

test('sslnegotiation=direct and =postgres are accepted and recorded on the target (libpq URLs paste as they are)', async () => {
  const targets = await resolveTargets({
    urls: ['postgres://app@db.example/orders?sslmode=require&sslnegotiation=direct&name=direct', 'postgresql://app@db.example/orders?sslnegotiation=postgres&name=classic', 'postgres://app@db.example/orders?name=unset'],
  });
  assert.deepEqual(
    targets.map((target) => [target.name, target.sslNegotiation]),
    [['direct', 'direct'], ['classic', 'postgres'], ['unset', undefined]],
  );
  const fromFile = await resolveTargets({ urls: [], configFile: await configFile('targets:\n  - name: f\n    url: postgres://app@db/x?sslnegotiation=direct\n') });
  assert.equal(fromFile[0].sslNegotiation, 'direct');
});

test('max-login-paths on a URL bounds the PostgreSQL login-path matrix as maxLoginPaths does in a config file', async () => {
  const targets = await resolveTargets({ urls: ['postgres://app@db.example/orders?max-login-paths=1200&name=wide', 'postgres://app@db.example/orders?name=default'] });
  assert.deepEqual(
    targets.map((target) => [target.name, target.maxLoginPaths]),
    [['wide', 1200], ['default', undefined]],
  );
  // The config file's own key wins over the parameter in its URL.
  const fromFile = await resolveTargets({ urls: [], configFile: await configFile('targets:\n  - name: f\n    url: postgres://app@db/x?max-login-paths=50\n    maxLoginPaths: 70\n') });
  assert.equal(fromFile[0].maxLoginPaths, 70);
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

test('a config target keeps its network declaration as written', async () => {
  const path = await configFile(
    [
      'targets:',
      '  - name: lab',
      '    url: mysql://app@10.213.0.1/app',
      '    network:',
      '      access: private',
      '      resolver: [ 127.0.0.1:5353, "[fd00::53]:53", 10.0.0.2 ]',
      '      from:',
      '        - { name: outside, expect: denied, namespace: ns-outside }',
      '        - { name: inside, expect: allowed, sourceAddress: "fd00::5" }',
      '',
    ].join('\n'),
  );
  const [target] = await resolveTargets({ urls: [], configFile: path });
  assert.deepEqual(target.network, {
    access: 'private',
    resolver: ['127.0.0.1:5353', '[fd00::53]:53', '10.0.0.2'],
    from: [
      { name: 'outside', expect: 'denied', namespace: 'ns-outside' },
      { name: 'inside', expect: 'allowed', sourceAddress: 'fd00::5' },
    ],
  });
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
