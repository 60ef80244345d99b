import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { CucumberReports } from '../../src/report/cucumber-reports.js';
import { rememberPassword } from '../../src/targets/secret-store.js';
import type { TargetResult } from '../../src/report/results-document.js';
import { runCli } from '../cli/run-command.js';

const SECRET = 'Reports-Canary-5f1e9a';
const timestamp = { seconds: 1_780_000_000, nanos: 0 };

function envelopes(): Envelope[] {
  return [
    { meta: { protocolVersion: '32.0.0', implementation: { name: 'cucumber-js', version: '12' }, runtime: { name: 'node' }, os: { name: 'linux' }, cpu: { name: 'x64' }, ci: { name: 'ci', url: `https://ci.example/?token=${SECRET}` } } },
    { source: { uri: 'features/x.feature', data: 'Feature: x\n', mediaType: 'text/x.cucumber.gherkin+plain' } },
    { testRunStarted: { timestamp } },
    { attachment: { body: `{"reason":"login as app with ${SECRET} refused"}`, contentEncoding: 'IDENTITY', mediaType: 'application/json', fileName: 'decision' } } as Envelope,
    { attachment: { body: Buffer.from(`token ${SECRET} inside`).toString('base64'), contentEncoding: 'BASE64', mediaType: 'text/plain', fileName: 'encoded' } } as Envelope,
    { testRunFinished: { timestamp, success: false } },
  ] as Envelope[];
}

const result = {
  name: 'reports-test',
  engine: 'postgres',
  endpoint: '127.0.0.1:5432',
  profile: 'baseline',
  origin: 'a test <b>',
  server: { version: 'PostgreSQL 15' },
} as unknown as TargetResult;

test('the three Cucumber reports are written from redacted envelopes, the HTML labelled with the target', async () => {
  rememberPassword('reports-test', SECRET);
  const reports = new CucumberReports();
  for (const envelope of envelopes()) reports.accept(envelope);
  const dir = await mkdtemp(join(tmpdir(), 'dbcomply-reports-'));
  const paths = { html: join(dir, 'report.html'), junit: join(dir, 'junit.xml'), messages: join(dir, 'messages.ndjson') };
  await reports.write(paths, { result, toolVersion: '9.9.9' });
  const [html, junit, messages] = await Promise.all([readFile(paths.html, 'utf8'), readFile(paths.junit, 'utf8'), readFile(paths.messages, 'utf8')]);
  for (const [name, text] of Object.entries({ html, junit, messages })) assert.ok(!text.includes(SECRET), `the secret reached ${name}`);
  assert.match(html, /<title>dbcomply: reports-test<\/title>/);
  assert.match(html, /dbcomply 9\.9\.9 · target <b>reports-test<\/b>: postgres at 127\.0\.0\.1:5432, server PostgreSQL 15/);
  assert.ok(html.includes('a test &#60;b&#62;'), 'the origin is escaped');
  assert.match(html, /\[redacted\] refused/, 'the attachment is in the page, redacted');
  assert.ok(messages.includes('token [redacted] inside'), 'a base64 attachment is decoded and redacted');
  const lines = messages.trimEnd().split('\n').map((line) => JSON.parse(line) as Envelope);
  assert.equal(lines.length, envelopes().length);
  assert.equal(lines[1].source?.data, 'Feature: x\n');
  assert.match(junit, /<testsuite name="dbcomply reports-test"/);
});

test("JUnit gives a failure's verdict in its type and the reason alone in its message", async () => {
  const out = await mkdtemp(join(tmpdir(), 'dbcomply-junit-'));
  const run = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed&timeout=500', '--tags', '@control:transport.tls1.3', '--out', out]);
  assert.equal(run.code, 1, run.stderr);
  const junit = await readFile(join(out, 'closed', 'junit.xml'), 'utf8');
  const failures = [...junit.matchAll(/<failure type="([^"]*)" message="([^"]*)"/g)];
  assert.ok(failures.length > 0, junit);
  for (const [, type, message] of failures) {
    assert.equal(type, 'UndecidedError');
    assert.doesNotMatch(message, /^(Undecided|UndecidedError|AssertionError): /);
    assert.match(message, /could not be reached|refused|ECONNREFUSED/);
  }
});
