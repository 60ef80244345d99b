/**
 * The OSCAL assessment-results document of a real run (a hardened MariaDB: probes and catalog
 * reads; a closed port: undecided) validates against the schema shipped in schemas/, a faithful
 * subset of NIST's OSCAL 1.1.2 assessment-results schema (no npm package ships the official one).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { runCli } from '../cli/run-command.js';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';
import { methodsOf } from '../../src/evidence/oscal-assessment-results.js';

const work = await mkdtemp(join(tmpdir(), 'dbcomply-oscal-'));
const out = join(work, 'run');
let oscal: any;
let results: any;
const schema = JSON.parse(await readFile(join(PACKAGE_ROOT, 'schemas', 'oscal-assessment-results-subset.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

before(async () => {
  const server = await startLocalServer('mysql', 'hardened');
  const url = `mysql://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${server.database}?sslrootcert=${server.caFile}&name=maria`;
  const run = await runCli(['run', '--target', url, '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed', '--out', out]);
  assert.equal(run.code, 1, run.stderr);
  oscal = JSON.parse(await readFile(join(out, 'oscal-assessment-results.json'), 'utf8'));
  results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
});
after(async () => {
  await stopAllLocalServers();
  await rm(work, { recursive: true, force: true });
});

test('the OSCAL document of a real run is valid against the assessment-results schema', () => {
  assert.ok(validate(oscal), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
});

test('the schema is not a rubber stamp: a missing collected time, an unknown method or state is refused', () => {
  const broken = structuredClone(oscal);
  delete broken['assessment-results'].results[0].observations[0].collected;
  assert.ok(!validate(broken));
  const method = structuredClone(oscal);
  method['assessment-results'].results[0].observations[0].methods = ['PROBE'];
  assert.ok(!validate(method));
  const state = structuredClone(oscal);
  state['assessment-results'].results[0].findings[0].target.status.state = 'undecided';
  assert.ok(!validate(state));
  const extra = structuredClone(oscal);
  extra['assessment-results'].results[0].verdicts = {};
  assert.ok(!validate(extra));
});

test('observations: TEST for probes, EXAMINE for catalog reads; findings per control id; undecided is not satisfied', () => {
  const [result] = oscal['assessment-results'].results;
  const items = result['local-definitions']['inventory-items'];
  const maria = items.find((item: { props: Array<{ name: string; value: string }> }) => item.props.some((prop) => prop.value === 'maria'));
  const observation = (control: string, subject: string) =>
    result.observations.find((entry: { title: string }) => entry.title === `${control} on ${subject}`);
  assert.deepEqual(observation('transport.tls1.3', 'maria').methods, ['TEST']);
  assert.deepEqual(observation('access.app-not-superuser', 'maria').methods, ['EXAMINE']);
  assert.equal(observation('transport.tls1.3', 'maria').subjects[0]['subject-uuid'], maria.uuid);
  const finding = (control: string, subject: string) => result.findings.find((entry: { title: string }) => entry.title.startsWith(`${control} `) && entry.title.endsWith(` on ${subject}`));
  assert.deepEqual(finding('transport.tls1.3', 'maria').target.status.state, 'satisfied');
  assert.equal(finding('transport.tls1.3', 'maria').target['target-id'], 'transport.tls1.3');
  assert.equal(finding('transport.tls1.3', 'closed').target.status.state, 'not-satisfied');
  assert.equal(finding('transport.tls1.3', 'closed').target.status.reason, 'undecided');
  const decided = results.targets.flatMap((target: { controls: Record<string, string> }) => Object.values(target.controls).filter((verdict) => verdict !== 'skipped'));
  assert.equal(result.findings.length, decided.length, 'one finding per target and control that was not skipped');
  const skipped = results.targets.find((target: { name: string }) => target.name === 'maria').controls['network.allowlist'];
  assert.equal(skipped, 'skipped');
  assert.equal(finding('network.allowlist', 'maria'), undefined);
  assert.ok(observation('network.allowlist', 'maria'), 'a skipped control is still observed, with its reason');
});

test('an observation\'s method is how its control was decided: settings, tablespace lists and the Azure plane are EXAMINE; catalog and logins together are both', () => {
  const [result] = oscal['assessment-results'].results;
  const methods = (control: string) => result.observations.find((entry: { title: string }) => entry.title === `${control} on maria`).methods;
  // Read from the server's settings and catalog: nothing was made to happen.
  for (const control of ['audit.connections-logged', 'audit.audit-extension', 'backup.pitr-ready', 'rest.tablespaces-encrypted']) assert.deepEqual(methods(control), ['EXAMINE'], control);
  // Azure Resource Manager and Key Vault state configuration (skipped here without a resource, still observed).
  for (const control of ['backup.retention', 'rest.cmk-configured', 'network.no-open-firewall', 'threat.defender-enabled']) assert.deepEqual(methods(control), ['EXAMINE'], control);
  // MariaDB: the catalog's account rows and require_secure_transport, and logins that try them.
  for (const control of ['auth.no-passwordless', 'auth.no-anonymous', 'transport.tls-required']) assert.deepEqual(methods(control), ['EXAMINE', 'TEST'], control);
  for (const control of ['auth.wrong-password-rejected', 'audit.clock-sync', 'access.masking', 'transport.strong-ciphers']) assert.deepEqual(methods(control), ['TEST'], control);
  // PostgreSQL's expiry (catalog) weighed with how the login-path matrix lets each role in.
  assert.deepEqual(methodsOf('access.time-bound', 'postgres'), ['EXAMINE', 'TEST']);
  assert.deepEqual(methodsOf('access.public-schema', 'postgres'), ['EXAMINE']);
});

test('evidence links resolve to back-matter resources carrying the files and their SHA-256', async () => {
  const document = oscal['assessment-results'];
  const observation = document.results[0].observations.find((entry: { title: string }) => entry.title === 'transport.tls1.3 on maria');
  const href = observation['relevant-evidence'][0].href as string;
  const resource = document['back-matter'].resources.find((entry: { uuid: string }) => `#${entry.uuid}` === href);
  assert.equal(resource.rlinks[0].href, 'maria/report.html');
  const actual = createHash('sha256').update(await readFile(join(out, 'maria', 'report.html'))).digest('hex');
  assert.equal(resource.rlinks[0].hashes[0].value, actual);
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.ok(manifest.subject.some((subject: { name: string }) => subject.name === 'oscal-assessment-results.json'), 'the manifest covers the OSCAL document');
});

test('back-matter names every file of the run with its SHA-256, the run-level results, CSV, JUnit and matrix included', async () => {
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  const named = new Map<string, string>();
  for (const resource of oscal['assessment-results']['back-matter'].resources) {
    for (const link of resource.rlinks ?? []) named.set(link.href, link.hashes?.[0]?.value);
  }
  const outputs = manifest.subject.filter((subject: { name: string }) => subject.name !== 'oscal-assessment-results.json');
  for (const name of ['results.json', 'results.csv', 'junit.xml', 'report.html']) assert.ok(outputs.some((subject: { name: string }) => subject.name === name), name);
  for (const subject of outputs) assert.equal(named.get(subject.name), subject.digest.sha256, `${subject.name} in back-matter with the manifest's hash`);
});
