/**
 * Every shape mistake in a config file comes back as a ConfigError in dbcomply's words: a field
 * path the user can find and what was expected, never zod's default English.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIG_SCHEMA } from '../../src/targets/config-schema.js';
import { configErrorFromIssues, configField } from '../../src/targets/config-issues.js';

test('field paths read as the user writes them', () => {
  assert.equal(configField([], 'dbcomply.yaml'), 'dbcomply.yaml');
  assert.equal(configField(['timeout'], 'f'), 'config.timeout');
  assert.equal(configField(['targets'], 'f'), 'config.targets');
  assert.equal(configField(['targets', 2, 'auditor', 'passwordEnv'], 'f'), 'targets[2].auditor.passwordEnv');
  assert.equal(configField(['targets', 0, 'network', 'from', 1, 'name'], 'f'), 'targets[0].network.from[1].name');
});

function errorFor(document: unknown) {
  const parsed = CONFIG_SCHEMA.safeParse(document);
  assert.equal(parsed.success, false, `accepted ${JSON.stringify(document)}`);
  return configErrorFromIssues(parsed.error!.issues, 'dbcomply.yaml');
}

test('an unknown or secret key is said before the other mistakes of its mapping, as the hand-written checks did', () => {
  const error = errorFor({ targets: [{ url: 'postgres://db/x', password: 'hunter2', port: 'x' }] });
  assert.equal(error.field, 'targets[0].password');
  assert.match(error.message, /passwords are never written in the config file; name an environment variable in passwordEnv/);
  assert.doesNotMatch(error.message, /hunter2/);
  const unknown = errorFor({ targets: [{ name: 'a', auditor: { user: 'u', passwrd: 'x' } }] });
  assert.equal(unknown.message, 'targets[0].auditor.passwrd: unknown key; expected one of user, passwordEnv');
});

test('a list where a string or a list is accepted: the entry at fault is named', () => {
  const error = errorFor({ targets: [{ name: 'a', network: { resolver: ['10.0.0.2', 53] } }] });
  assert.equal(error.field, 'targets[0].network.resolver[1]');
  assert.match(error.message, /expected an IP address with an optional port.*got "53"/);
});

const BASE = { name: 'a', url: 'postgres://db/x' };
const VALID_PARTS: Record<string, Record<string, unknown>> = {
  auditor: { user: 'u', passwordEnv: 'E' },
  masking: { role: 'r', passwordEnv: 'E', columns: ['s.t.c'] },
  allow: { workload: ['x'], privileged: ['y'], wildcardHosts: ['z'] },
  logs: { file: 'a.log', wait: 10 },
  network: { from: [{ name: 'x', expect: 'denied', namespace: 'n' }], access: 'private', resolver: ['10.0.0.2'] },
  entra: { user: 'u', tenantId: 't', clientId: 'c', clientSecretEnv: 'E', authorityHost: 'https://a', caFile: 'c', expiryWait: 0 },
  azure: { resourceId: '/x', tenantId: 't', clientId: 'c', clientSecretEnv: 'E', authorityHost: 'https://a', armEndpoint: 'https://b', keyVaultDnsSuffix: 'v', caFile: 'c' },
};
const WRONG_VALUES: unknown[] = [5, -1, 1.5, 'text', '', true, [], [5], {}, { unknown: 1 }];

test('no wrong value in any field gets zod\'s default message: each says what dbcomply expected there', () => {
  const documents: unknown[] = [...WRONG_VALUES];
  for (const key of ['profile', 'timeout', 'minCertDays', 'targets']) for (const wrong of WRONG_VALUES) documents.push({ targets: [BASE], [key]: wrong });
  for (const key of Object.keys(CONFIG_SCHEMA.shape.targets.element.shape)) for (const wrong of WRONG_VALUES) documents.push({ targets: [{ ...BASE, [key]: wrong }] });
  for (const [part, valid] of Object.entries(VALID_PARTS)) {
    for (const key of Object.keys(valid)) for (const wrong of WRONG_VALUES) documents.push({ targets: [{ ...BASE, [part]: { ...valid, [key]: wrong } }] });
  }
  for (const key of ['name', 'expect', 'sourceAddress', 'namespace']) {
    for (const wrong of WRONG_VALUES) documents.push({ targets: [{ ...BASE, network: { from: [{ name: 'x', expect: 'denied', namespace: 'n', [key]: wrong }] } }] });
  }
  let refused = 0;
  for (const document of documents) {
    const parsed = CONFIG_SCHEMA.safeParse(document);
    if (parsed.success) continue;
    refused++;
    const error = configErrorFromIssues(parsed.error.issues, 'dbcomply.yaml');
    assert.match(error.field, /^(dbcomply\.yaml|config\.\w+|targets\[\d+\](\.[\w[\]]+)*)$/, JSON.stringify(document));
    assert.doesNotMatch(error.message, /Invalid input|received|Too small|Too big|Unrecognized key/, `${JSON.stringify(document)} -> ${error.message}`);
  }
  assert.ok(refused > 500, `only ${refused} wrong documents were refused`);
});
