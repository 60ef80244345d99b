import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-command.js';

test('the README demo assesses hardened and legacy servers of both engines and prints the report path', async () => {
  const out = await mkdtemp(join(tmpdir(), 'dbcomply-demo-'));
  try {
    const run = await runCli(['run', '--demo', '--out', out]);
    assert.equal(run.code, 1, 'the legacy servers fail, so the run exits 1');
    // The demo stops what it started: nothing may be left for the CLI's grace period to cut off.
    assert.doesNotMatch(run.stderr, /still held open/);
    for (const name of ['postgres-hardened', 'mariadb-hardened']) assert.match(run.stdout, new RegExp(`^${name}\\s+baseline\\s+transport\\s+PASSED`, 'm'));
    for (const name of ['postgres-legacy', 'mariadb-legacy']) assert.match(run.stdout, new RegExp(`^${name}\\s+baseline\\s+transport\\s+FAILED`, 'm'));
    const reportPath = /^Report: (.+)$/m.exec(run.stdout)?.[1];
    assert.ok(reportPath, run.stdout);
    assert.ok((await stat(join(out, 'report.html'))).size > 0);
    for (const file of ['report.html', 'junit.xml', 'messages.ndjson']) assert.ok((await stat(join(out, 'postgres-hardened', file))).size > 0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(results.targets.map((target: { name: string }) => target.name), [
      'postgres-hardened',
      'mariadb-hardened',
      'postgres-legacy',
      'mariadb-legacy',
      'azure-pg-compliant',
      'azure-pg-noncompliant',
      'azure-pg-example',
    ]);
    // The plane targets run on the Azure stand-in and say so.
    for (const target of results.targets.filter((each: { name: string }) => each.name.startsWith('azure-'))) assert.match(target.origin, /Azure stand-in \(not Azure\)/);
    const compliant = results.targets.find((each: { name: string }) => each.name === 'azure-pg-compliant');
    assert.ok(Object.values(compliant.controls).every((verdict) => verdict === 'passed' || verdict === 'skipped'), JSON.stringify(compliant.reasons));
    const noncompliant = results.targets.find((each: { name: string }) => each.name === 'azure-pg-noncompliant');
    assert.ok(Object.values(noncompliant.controls).includes('failed'), JSON.stringify(noncompliant.reasons));
    assert.equal(results.complete, true);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
