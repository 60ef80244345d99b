/**
 * dbcomply discover against the Azure stand-in: the real SDK list calls (subscription, resource
 * group), the tag filter, and the CLI writing a config file that the config reader accepts, with
 * one target per server, credentials named and never written.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AzureStandIn } from '../../src/lab/azure-stand-in/azure-stand-in.js';
import { MYSQL_GROUP, MYSQL_SERVER_CASES, PG_GROUP, PG_SERVER_CASES, SUBSCRIPTION_ID, pgServerId } from '../../src/lab/azure-stand-in/stand-in-fleet.js';
import { openAzureAccess } from '../../src/probes/plane/plane-session.js';
import { discoverServers } from '../../src/discovery/discover-servers.js';
import { readConfigFile } from '../../src/targets/config-file.js';
import { runCli } from '../cli/run-command.js';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';

let standIn: AzureStandIn;
const work = await mkdtemp(join(tmpdir(), 'dbcomply-discover-'));
before(async () => {
  standIn = await AzureStandIn.start();
});
after(async () => {
  await standIn?.stop();
  await rm(work, { recursive: true, force: true });
});

function access() {
  const registration = standIn.register();
  return openAzureAccess({ tenantId: standIn.tenantId, clientId: registration.clientId, authorityHost: standIn.authorityHost, armEndpoint: standIn.armEndpoint, caFile: standIn.caFile }, registration.clientSecret, 5000);
}

test('discovery lists every flexible server of a subscription, of a resource group, or carrying a tag, through ARM list calls', async () => {
  const signedIn = await access();
  const all = await discoverServers(signedIn, { subscriptions: [SUBSCRIPTION_ID], resourceGroups: [], tags: [] });
  assert.equal(all.length, PG_SERVER_CASES.length + MYSQL_SERVER_CASES.length);
  assert.deepEqual(all.filter((server) => server.engine === 'postgres').map((server) => server.name).sort(), [...PG_SERVER_CASES].sort());
  assert.equal(all.find((server) => server.name === 'pg-compliant')?.fullyQualifiedDomainName, 'pg-compliant.postgres.database.azure.com');
  const mysqlGroup = await discoverServers(signedIn, { subscriptions: [SUBSCRIPTION_ID], resourceGroups: [MYSQL_GROUP], tags: [] });
  assert.deepEqual(mysqlGroup.map((server) => server.engine), MYSQL_SERVER_CASES.map(() => 'mysql'));
  // The MySQL example carries the tag num=1; the PostgreSQL example none.
  const tagged = await discoverServers(signedIn, { subscriptions: [SUBSCRIPTION_ID], resourceGroups: [], tags: [{ key: 'NUM', value: '1' }] });
  assert.deepEqual(tagged.map((server) => server.name).sort(), [...MYSQL_SERVER_CASES].sort());
  assert.equal((await discoverServers(signedIn, { subscriptions: [SUBSCRIPTION_ID], resourceGroups: [], tags: [{ key: 'num', value: '2' }] })).length, 0);
  const forbidden = standIn.register({ armReader: false, vaultReader: false });
  const refused = await openAzureAccess({ tenantId: standIn.tenantId, clientId: forbidden.clientId, authorityHost: standIn.authorityHost, armEndpoint: standIn.armEndpoint, caFile: standIn.caFile }, forbidden.clientSecret, 5000);
  await assert.rejects(discoverServers(refused, { subscriptions: [SUBSCRIPTION_ID], resourceGroups: [], tags: [] }), /HTTP 403 AuthorizationFailed\): the principal lacks the role Reader/);
});

test('dbcomply discover writes one target per server with its FQDN, resource id, the chosen profile and credential names, and no secret', async () => {
  const registration = standIn.register();
  const out = join(work, 'fleet.yaml');
  const env = { DBCOMPLY_TEST_AZURE_SECRET: registration.clientSecret, DBCOMPLY_TEST_DB_PASSWORD: 'not-used-here' };
  const run = await runCli([
    'discover', '--subscription', SUBSCRIPTION_ID, '--resource-group', PG_GROUP, '--profile', 'strict', '--out', out,
    '--user', 'auditor', '--password-env', 'DBCOMPLY_TEST_DB_PASSWORD',
    '--tenant-id', standIn.tenantId, '--client-id', registration.clientId, '--client-secret-env', 'DBCOMPLY_TEST_AZURE_SECRET',
    '--arm-endpoint', standIn.armEndpoint, '--authority-host', standIn.authorityHost, '--ca-file', standIn.caFile,
  ], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`${PG_SERVER_CASES.length} servers \\(${PG_SERVER_CASES.length} PostgreSQL, 0 MySQL\\) on Azure stand-in at https://127\\.0\\.0\\.1:\\d+ \\(not Azure\\)`));
  const text = await readFile(out, 'utf8');
  const modeline = text.split('\n')[0].match(/^# yaml-language-server: \$schema=(\S+)$/);
  assert.ok(modeline, 'the written config names its schema for editors');
  assert.equal(resolve(dirname(out), modeline[1]), join(PACKAGE_ROOT, 'schemas', 'dbcomply.config.schema.json'));
  assert.ok(!text.includes(registration.clientSecret), 'the client secret is not in the file');
  assert.ok(!run.stdout.includes(registration.clientSecret) && !run.stderr.includes(registration.clientSecret));
  Object.assign(process.env, env);
  const specs = await readConfigFile(out);
  assert.equal(specs.length, PG_SERVER_CASES.length);
  const compliant = specs.find((spec) => spec.target.name === 'pg-compliant')!;
  assert.equal(compliant.target.host, 'pg-compliant.postgres.database.azure.com');
  assert.equal(compliant.target.engine, 'postgres');
  assert.equal(compliant.target.user, 'auditor');
  assert.equal(compliant.target.profile, 'strict');
  assert.equal(compliant.target.azure?.resourceId, pgServerId('pg-compliant'));
  assert.equal(compliant.target.azure?.armEndpoint, standIn.armEndpoint);
  assert.equal(compliant.azureClientSecret, registration.clientSecret, 'the secret comes back from the environment variable the file names');
  assert.equal(compliant.target.planeOnly, undefined);

  const planeOnly = join(work, 'plane-only.yaml');
  const second = await runCli(['discover', '--subscription', SUBSCRIPTION_ID, '--resource-group', MYSQL_GROUP, '--plane-only', '--out', planeOnly,
    '--tenant-id', standIn.tenantId, '--client-id', registration.clientId, '--client-secret-env', 'DBCOMPLY_TEST_AZURE_SECRET',
    '--arm-endpoint', standIn.armEndpoint, '--authority-host', standIn.authorityHost, '--ca-file', standIn.caFile], { env });
  assert.equal(second.code, 0, second.stderr);
  const planeSpecs = await readConfigFile(planeOnly);
  assert.deepEqual(planeSpecs.map((spec) => [spec.target.engine, spec.target.planeOnly, spec.target.profile]), MYSQL_SERVER_CASES.map(() => ['mysql', true, 'baseline']));
});

test('dbcomply discover without any Azure credential says so and writes nothing', async () => {
  const out = join(work, 'none.yaml');
  const env = Object.fromEntries(Object.keys(process.env).filter((key) => key.startsWith('AZURE_')).map((key) => [key, '']));
  const run = await runCli(['discover', '--subscription', SUBSCRIPTION_ID, '--out', out, '--arm-endpoint', standIn.armEndpoint, '--authority-host', standIn.authorityHost, '--ca-file', standIn.caFile], { env });
  assert.equal(run.code, 1, run.stdout);
  assert.match(run.stderr, /cannot list servers: no Azure credentials/);
  await assert.rejects(readFile(out));
  const usage = await runCli(['discover', '--subscription', 'not-a-guid', '--out', out]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--subscription.*not a subscription id/);
});

test('dbcomply run --discover finds the servers on the fly, keeps the discovered config with the reports, and assesses them as plane-only targets', async () => {
  const registration = standIn.register();
  const out = join(work, 'run-discover');
  const run = await runCli([
    'run', '--discover', '--subscription', SUBSCRIPTION_ID, '--resource-group', MYSQL_GROUP, '--plane-only', '--tags', '@area:backup', '--out', out,
    '--tenant-id', standIn.tenantId, '--client-id', registration.clientId, '--client-secret-env', 'DBCOMPLY_TEST_AZURE_SECRET',
    '--arm-endpoint', standIn.armEndpoint, '--authority-host', standIn.authorityHost, '--ca-file', standIn.caFile,
  ], { env: { DBCOMPLY_TEST_AZURE_SECRET: registration.clientSecret } });
  assert.match(run.stdout, new RegExp(`${MYSQL_SERVER_CASES.length} servers \\(0 PostgreSQL, ${MYSQL_SERVER_CASES.length} MySQL\\) on Azure stand-in`), run.stderr);
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  assert.deepEqual(results.targets.map((target: { name: string }) => target.name), [...MYSQL_SERVER_CASES]);
  assert.doesNotMatch(await readFile(join(out, 'discovered.yaml'), 'utf8'), /yaml-language-server/, 'the copy kept with the reports names no path of the install');
  assert.match(await readFile(join(out, 'discovered.yaml'), 'utf8'), /resourceId: \/subscriptions\/ffffffff-ffff-ffff-ffff-ffffffffffff\/resourceGroups\/testrg\/providers\/Microsoft\.DBforMySQL\/flexibleServers\/mysql-compliant/);
  for (const file of [join(out, 'results.json'), join(out, 'discovered.yaml')]) assert.ok(!(await readFile(file, 'utf8')).includes(registration.clientSecret));
});
