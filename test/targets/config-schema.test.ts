/**
 * The published JSON Schema of the config file (schemas/dbcomply.config.schema.json) is what the
 * zod definition generates; every example config in the repository (examples/, README.md) points
 * editors at it, validates against it with a real JSON Schema validator (ajv) AND loads with the
 * run-time loader; and on invalid configs the two agree.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { configJsonSchemaText } from '../../src/targets/config-schema.js';
import { readConfigFile } from '../../src/targets/config-file.js';
import { ConfigError } from '../../src/targets/config-error.js';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';

const SCHEMA_FILE = join(PACKAGE_ROOT, 'schemas', 'dbcomply.config.schema.json');
const MODELINE = /^# yaml-language-server: \$schema=(\S+)\n/;

const committed = await readFile(SCHEMA_FILE, 'utf8');
const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(committed));
const dir = await mkdtemp(join(tmpdir(), 'dbcomply-config-schema-'));
after(() => rm(dir, { recursive: true, force: true }));

/** A config written in the repository: where it is, the directory its relative paths start from, its text. */
type ExampleConfig = { where: string; baseDir: string; text: string };

async function yamlFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}

/** Every YAML file under examples/ that is a dbcomply config (it has a top-level `targets:`), and every README block that is one. */
async function exampleConfigs(): Promise<{ whole: ExampleConfig[]; fragments: ExampleConfig[] }> {
  const whole: ExampleConfig[] = [];
  for (const file of await yamlFilesUnder(join(PACKAGE_ROOT, 'examples'))) {
    const text = await readFile(file, 'utf8');
    if (/^targets:/m.test(text)) whole.push({ where: relative(PACKAGE_ROOT, file), baseDir: dirname(file), text });
  }
  const readme = await readFile(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const fragments: ExampleConfig[] = [];
  for (const [, indent, body] of readme.matchAll(/^( *)```yaml\n([\s\S]*?)^ *```$/gm)) {
    const text = body.replace(new RegExp(`^${indent}`, 'gm'), '');
    const block = { where: `README.md block "${text.split('\n').find((line) => !line.startsWith('#'))?.trim()}"`, baseDir: PACKAGE_ROOT, text };
    // A block that starts with a key of one target (`    entra:`) is a part of a target entry.
    (/^targets:/m.test(text) ? whole : fragments).push(block);
  }
  return { whole, fragments };
}

const { whole, fragments } = await exampleConfigs();

test('the committed JSON Schema is exactly what the zod definition generates (run `npm run schema` after changing config-schema.ts)', () => {
  assert.equal(committed, configJsonSchemaText());
});

/** Sets every environment variable the config names (passwordEnv, clientSecretEnv), as a deployment would. */
function setNamedVariables(text: string): void {
  for (const [, variable] of text.matchAll(/(?:passwordEnv|clientSecretEnv): *([A-Za-z_][A-Za-z0-9_]*)/g)) process.env[variable] ??= 'set-for-the-schema-test';
}

/** The loader reads no file the config names (resolveTargets checks CA files), so a copy in a temporary folder loads as the original. */
async function loadWithRuntime(text: string): ReturnType<typeof readConfigFile> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, text);
  setNamedVariables(text);
  return readConfigFile(path);
}

test('the repository has example configs to check: examples/dbcomply.yaml and the README fleet config, and the README entra/azure parts', () => {
  assert.deepEqual(whole.map((example) => example.where.split(' ')[0]).sort(), ['README.md', 'examples/dbcomply.yaml']);
  assert.ok(fragments.some((fragment) => /^ {4}entra:/m.test(fragment.text)) && fragments.some((fragment) => /^ {4}azure:/m.test(fragment.text)), 'the README entra and azure parts');
});

for (const example of whole) {
  test(`${example.where}: points editors at the schema, validates against it, and loads with the runtime loader`, async () => {
    const modeline = MODELINE.exec(example.text);
    assert.ok(modeline, 'starts with # yaml-language-server: $schema=...');
    assert.equal(resolve(example.baseDir, modeline[1]), SCHEMA_FILE);
    const document = parse(example.text) as { targets: Array<{ name: string }> };
    assert.ok(validate(document), JSON.stringify(validate.errors, null, 1));
    const specs = await loadWithRuntime(example.text);
    assert.deepEqual(specs.map((spec) => spec.target.name), document.targets.map((entry) => entry.name));
  });
}

const README_TARGET = 'targets:\n  - name: readme\n    url: postgres://app@db.example/postgres\n';

for (const fragment of fragments.filter((block) => /^ {4}(entra|azure):/m.test(block.text))) {
  test(`${fragment.where}: as part of a target, validates against the schema and loads with the runtime loader`, async () => {
    const text = README_TARGET + fragment.text;
    assert.ok(validate(parse(text)), JSON.stringify(validate.errors, null, 1));
    const [spec] = await loadWithRuntime(text);
    assert.ok(spec.target.entra ?? spec.target.azure);
  });
}

/** Invalid configs: the JSON Schema refuses each, and the runtime loader names the field. */
const INVALID: Array<[string, string, RegExp]> = [
  ['an unknown key', '    hots: db\n', /^targets\[0\]\.hots$/],
  ['a password written in the file', '    password: hunter2\n', /^targets\[0\]\.password$/],
  ['a port out of range', '    port: 70000\n', /^targets\[0\]\.port$/],
  ['a port in quotes', '    port: "5432"\n', /^targets\[0\]\.port$/],
  ['a timeout of 0', '    timeout: 0\n', /^targets\[0\]\.timeout$/],
  ['an unknown profile', '    profile: paranoid\n', /^targets\[0\]\.profile$/],
  ['intrusive as text', '    intrusive: "yes"\n', /^targets\[0\]\.intrusive$/],
  ['an unknown engine', '    engine: mssql\n', /^targets\[0\]\.engine$/],
  ['an auditor without passwordEnv', '    auditor: { user: audit }\n', /^targets\[0\]\.auditor\.passwordEnv$/],
  ['a masked column without its schema', '    masking: { role: r, passwordEnv: HOME, columns: [customers.ssn] }\n', /^targets\[0\]\.masking\.columns\[0\]$/],
  ['an allow list as text', '    allow: { workload: app }\n', /^targets\[0\]\.allow\.workload$/],
  ['logs from files and a command', '    logs: { file: a.log, command: [cat, a.log] }\n', /^targets\[0\]\.logs$/],
  ['logs from nowhere', '    logs: { wait: 100 }\n', /^targets\[0\]\.logs$/],
  ['a vantage point with two sources', '    network:\n      from: [{ name: x, expect: denied, sourceAddress: 10.0.0.6, namespace: ns1 }]\n', /^targets\[0\]\.network\.from\[0\]$/],
  ['a namespace with a path', '    network:\n      from: [{ name: x, expect: denied, namespace: ../etc }]\n', /^targets\[0\]\.network\.from\[0\]\.namespace$/],
  ['network access other than private', '    network: { access: public }\n', /^targets\[0\]\.network\.access$/],
  ['an Entra secret without tenant and client', '    entra: { user: app, clientSecretEnv: HOME }\n', /^targets\[0\]\.entra\.clientSecretEnv$/],
  ['an Entra secret in the file', '    entra: { user: app, clientSecret: hunter2 }\n', /^targets\[0\]\.entra\.clientSecret$/],
  ['an Entra authority over HTTP', '    entra: { user: app, authorityHost: "http://login.example" }\n', /^targets\[0\]\.entra\.authorityHost$/],
  ['a negative Entra expiry wait', '    entra: { user: app, expiryWait: -1 }\n', /^targets\[0\]\.entra\.expiryWait$/],
  ['an ARM endpoint with a path', '    azure: { resourceId: /subscriptions/s/resourceGroups/g/providers/Microsoft.DBforMySQL/flexibleServers/f, armEndpoint: "https://arm.example/x" }\n', /^targets\[0\]\.azure\.armEndpoint$/],
];

for (const [name, line, field] of INVALID) {
  test(`invalid config, refused by the JSON Schema and by the runtime loader alike: ${name}`, async () => {
    const text = README_TARGET + line;
    assert.equal(validate(parse(text)), false, 'the JSON Schema accepts it');
    await assert.rejects(loadWithRuntime(text), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.field, field);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });
}

test('a target name that could not name a report folder is refused by both, at the name', async () => {
  const text = 'targets:\n  - name: ../etc\n    url: postgres://app@db.example/postgres\n';
  assert.equal(validate(parse(text)), false);
  await assert.rejects(loadWithRuntime(text), (error: unknown) => error instanceof ConfigError && error.field === 'targets[0].name' && /1-64 letters/.test(error.message));
});

test('a key written with no value counts as absent, for the JSON Schema and the runtime loader alike', async () => {
  const text = `${README_TARGET}    caFile:\n    auditor:\n    logs:\n    timeout:\n`;
  assert.ok(validate(parse(text)), JSON.stringify(validate.errors, null, 1));
  const [spec] = await loadWithRuntime(text);
  assert.equal(spec.target.caFile, undefined);
  assert.equal(spec.target.auditor, undefined);
  assert.equal(spec.target.timeoutMs, 5000);
});

test('minBinaryLogDays reaches the target as a whole number of days; 0 and fractions are refused by both', async () => {
  const [spec] = await loadWithRuntime(`${README_TARGET}    minBinaryLogDays: 2\n`);
  assert.equal(spec.target.minBinaryLogDays, 2);
  const [none] = await loadWithRuntime(README_TARGET);
  assert.equal(none.target.minBinaryLogDays, undefined);
  for (const value of ['0', '1.5']) {
    const text = `${README_TARGET}    minBinaryLogDays: ${value}\n`;
    assert.equal(validate(parse(text)), false, value);
    await assert.rejects(loadWithRuntime(text), (error: unknown) => error instanceof ConfigError && error.field === 'targets[0].minBinaryLogDays' && /positive whole number/.test(error.message));
  }
});
