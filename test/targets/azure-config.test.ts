import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTargets } from '../../src/targets/resolve-targets.js';
import { ConfigError } from '../../src/targets/config-error.js';
import { reasonNotApplicable } from '../../src/controls/applicability.js';
import { CATALOGUE } from '../../src/controls/catalogue.js';

const dir = await mkdtemp(join(tmpdir(), 'dbcomply-azure-config-'));
after(() => rm(dir, { recursive: true, force: true }));
await writeFile(join(dir, 'ca.pem'), 'not checked here');
const PG = '/subscriptions/ffffffff-ffff-ffff-ffff-ffffffffffff/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/orders';
const MYSQL = '/subscriptions/ffffffff-ffff-ffff-ffff-ffffffffffff/resourceGroups/rg/providers/Microsoft.DBforMySQL/flexibleServers/billing';

async function configFile(yaml: string): Promise<string> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, yaml);
  return path;
}

test('a target with azure: keeps the declaration in the target and the client secret in the secret store; without url or host it is plane-only', async () => {
  process.env.DBCOMPLY_TEST_AZURE_SECRET = 'azure-secret-from-env';
  const path = await configFile([
    'targets:',
    '  - name: orders',
    '    url: postgres://app@orders.example/x',
    '    azure:',
    `      resourceId: ${PG}`,
    '      tenantId: contoso.example',
    '      clientId: 0000-app',
    '      clientSecretEnv: DBCOMPLY_TEST_AZURE_SECRET',
    '      armEndpoint: https://management.chinacloudapi.cn/',
    '      authorityHost: https://login.chinacloudapi.cn',
    '      keyVaultDnsSuffix: vault.azure.cn',
    '      caFile: ca.pem',
    '  - name: billing',
    '    profile: strict',
    '    azure:',
    `      resourceId: ${MYSQL}`,
    '',
  ].join('\n'));
  const [orders, billing] = await resolveTargets({ urls: [], configFile: path });
  assert.deepEqual(orders.azure, {
    resourceId: PG, tenantId: 'contoso.example', clientId: '0000-app', armEndpoint: 'https://management.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn',
    keyVaultDnsSuffix: 'vault.azure.cn', caFile: join(dir, 'ca.pem'),
  });
  assert.equal(orders.planeOnly, undefined);
  assert.doesNotMatch(JSON.stringify(orders), /azure-secret-from-env/);
  const { azureClientSecretFor } = await import('../../src/targets/secret-store.js');
  assert.equal(azureClientSecretFor('orders'), 'azure-secret-from-env');
  assert.equal(billing.planeOnly, true);
  assert.equal(billing.engine, 'mysql', 'the engine comes from the resource provider');
  assert.equal(billing.profile, 'strict');
  assert.match(billing.origin ?? '', /Azure plane only/);

  const planeControls = CATALOGUE.filter((control) => control.plane).map((control) => control.id);
  assert.equal(planeControls.length, 14);
  assert.match(reasonNotApplicable('transport.tls1.2', billing) ?? '', /assessed on the Azure plane only/);
  assert.equal(reasonNotApplicable('network.no-open-firewall', billing), undefined, 'plane controls apply to a plane-only target');
  assert.equal(reasonNotApplicable('backup.read-replica', billing), undefined, 'strict requires the replica');
  assert.match(reasonNotApplicable('backup.read-replica', { ...billing, profile: 'baseline' }) ?? '', /baseline profile does not ask for a read replica/);
  assert.match(reasonNotApplicable('backup.retention', { ...billing, azure: undefined }) ?? '', /declare the server's Azure resource/);
  assert.match(reasonNotApplicable('rest.cmk-rotation', billing) ?? '', /does not apply to mysql/);
});

const errors: Array<[string, string, RegExp, RegExp]> = [
  ['secret in the file', `azure:\n      resourceId: ${PG}\n      clientSecret: hunter2`, /azure\.clientSecret/, /clientSecretEnv/],
  ['not a flexible server id', 'azure:\n      resourceId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Sql/servers/s', /azure\.resourceId/, /flexibleServers/],
  ['unset secret variable', `azure:\n      resourceId: ${PG}\n      tenantId: t\n      clientId: c\n      clientSecretEnv: DBCOMPLY_TEST_UNSET_VARIABLE`, /azure\.clientSecretEnv/, /is not set/],
  ['secret without client id', `azure:\n      resourceId: ${PG}\n      clientSecretEnv: DBCOMPLY_TEST_AZURE_SECRET`, /azure\.clientSecretEnv/, /tenantId and clientId/],
  ['ARM over plain HTTP', `azure:\n      resourceId: ${PG}\n      armEndpoint: http://management.example`, /azure\.armEndpoint/, /https:\/\//],
  ['unknown key', `azure:\n      resourceId: ${PG}\n      subscription: x`, /azure\.subscription/, /unknown key/],
  ['plane-only with a login', `user: app\n    azure:\n      resourceId: ${PG}`, /targets\[0\]\.user/, /Azure plane alone/],
  ['plane-only with the wrong engine', `engine: mysql\n    azure:\n      resourceId: ${PG}`, /targets\[0\]\.engine/, /Microsoft\.DBforPostgreSQL/],
];
for (const [name, body, field, expected] of errors) {
  test(`config error: ${name}`, async () => {
    const path = await configFile(`targets:\n  - name: a\n    ${body}\n`);
    await assert.rejects(resolveTargets({ urls: [], configFile: path }), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, field);
      assert.match(error.message, expected);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });
}
