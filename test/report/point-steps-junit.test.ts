/**
 * The per-target JUnit and Cucumber step statuses agree with the control's verdict when a
 * requirement-list scenario (seed 001's key, vault and identity points) fails on a point no step
 * names: a geo-backup key's points. Run through the real pipeline (runTarget: Cucumber, the
 * decision attachments, the reports) against the Azure stand-in's pg-geo-key-too-small, whose own
 * key is compliant and whose geo-backup key is 1024-bit RSA.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureStandIn } from '../../src/lab/azure-stand-in/azure-stand-in.js';
import { pgServerId } from '../../src/lab/azure-stand-in/stand-in-fleet.js';
import { runTarget } from '../../src/runner/run-target.js';
import { standInTarget } from '../probes/plane/plane-target.js';

let standIn: AzureStandIn;
const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-point-steps-'));
before(async () => {
  standIn = await AzureStandIn.start();
});
after(async () => {
  await standIn?.stop();
  await rm(outDir, { recursive: true, force: true });
});

test('a failing geo-backup key point fails the JUnit test case and its reason, as it fails the control', async () => {
  const target = standInTarget(standIn, pgServerId('pg-geo-key-too-small'));
  const result = await runTarget(target, outDir, '@control:rest.cmk-key-requirements');
  assert.equal(result.controls['rest.cmk-key-requirements'], 'failed', result.reasons['rest.cmk-key-requirements']);
  assert.match(result.reasons['rest.cmk-key-requirements'], /geo-backup key: key size: 1024 bits/);
  const junit = await readFile(join(outDir, result.reports.junit), 'utf8');
  const failure = /<failure type="([^"]*)" message="([^"]*)"/.exec(junit);
  assert.ok(failure, `the JUnit test case fails as the control does:\n${junit}`);
  assert.equal(failure[1], 'AssertionError');
  assert.match(failure[2], /geo-backup key: key size: .*observed 1024 bits/);
});

const unescapeXml = (text: string) => text.replace(/&(quot|apos|lt|gt|amp|#(\d+));/g, (_, name: string, code?: string) => (code ? String.fromCharCode(Number(code)) : ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' } as Record<string, string>)[name]));

test("each failing JUnit test case states its control's reason, every failing point named, as results.json does", async () => {
  const target = standInTarget(standIn, pgServerId('pg-noncompliant'));
  const controls = ['rest.cmk-key-requirements', 'rest.cmk-vault-protection', 'rest.cmk-identity-permissions'];
  const result = await runTarget(target, outDir, controls.map((id) => `@control:${id}`).join(' or '));
  const junit = await readFile(join(outDir, result.reports.junit), 'utf8');
  const failures = [...junit.matchAll(/<failure type="([^"]*)" message="([^"]*)"/g)].map((match) => ({ type: match[1], message: unescapeXml(match[2]) }));
  assert.equal(failures.length, controls.length, junit);
  for (const id of controls) {
    assert.equal(result.controls[id], 'failed', id);
    assert.ok(failures.some((failure) => failure.type === 'AssertionError' && failure.message === result.reasons[id]), `${id}: ${result.reasons[id]}\nin\n${failures.map((failure) => failure.message).join('\n')}`);
  }
});

test('a compliant server with a geo-backup key passes every step, the last one naming the geo-backup key\'s points', async () => {
  const target = standInTarget(standIn, pgServerId('pg-compliant'));
  const result = await runTarget(target, outDir, '@control:rest.cmk-key-requirements');
  assert.equal(result.controls['rest.cmk-key-requirements'], 'passed', result.reasons['rest.cmk-key-requirements']);
  const junit = await readFile(join(outDir, result.reports.junit), 'utf8');
  assert.doesNotMatch(junit, /<failure|<skipped/);
  assert.match(junit, /And the geo-backup key, if the server has one, meets the same requirements\.+passed/);
});
