import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeManifest } from '../../src/evidence/manifest.js';
import { verifyRun } from '../../src/evidence/verify-run.js';
import type { ResultsDocument } from '../../src/report/results-document.js';

const document: ResultsDocument = { tool: { name: 'dbcomply', version: '0.0.0' }, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', complete: true, targets: [] };

async function signedRun(): Promise<{ dir: string; publicKey: ReturnType<typeof generateKeyPairSync>['publicKey'] }> {
  const dir = await mkdtemp(join(tmpdir(), 'dbcomply-verify-unit-'));
  await mkdir(join(dir, 't'));
  await writeFile(join(dir, 'results.json'), '{}');
  await writeFile(join(dir, 't', 'report.html'), '<p>x</p>');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  await writeManifest(dir, document, { signingKey: privateKey, operator: 'op' });
  return { dir, publicKey };
}

test('a P-256 signed manifest verifies; a manifest naming files outside the directory is refused before any is read', async () => {
  const { dir, publicKey } = await signedRun();
  assert.equal((await verifyRun(dir, publicKey)).verified, true);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  manifest.subject.push({ name: '../../etc/hostname', digest: { sha256: '00' } });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const outside = await verifyRun(dir, publicKey);
  assert.equal(outside.verified, false);
  assert.match(outside.lines[0].detail ?? '', /outside the directory: \.\.\/\.\.\/etc\/hostname/);
});

test('a half-written file left beside the outputs is reported, not skipped, by verify', async () => {
  const { dir, publicKey } = await signedRun();
  await writeFile(join(dir, 'results.json.1234.partial'), '{"forged":true}');
  const result = await verifyRun(dir, publicKey);
  assert.equal(result.verified, false);
  assert.ok(result.lines.some((line) => line.status === 'unlisted' && line.subject === 'results.json.1234.partial'));
});

test('a deleted output is missing', async () => {
  const { dir, publicKey } = await signedRun();
  await writeFile(join(dir, 't', 'report.html'), '<p>x</p>');
  assert.equal((await verifyRun(dir, publicKey)).verified, true, 'the same bytes rewritten still verify');
  const { rm } = await import('node:fs/promises');
  await rm(join(dir, 't', 'report.html'));
  const result = await verifyRun(dir, publicKey);
  assert.ok(result.lines.some((line) => line.status === 'missing' && line.subject === 't/report.html'));
});

test('without a key the hashes decide "verified" and `signed` says whether a signature is there to check', async () => {
  const { dir } = await signedRun();
  const noKey = await verifyRun(dir);
  assert.equal(noKey.verified, true);
  assert.equal(noKey.signed, true);
  assert.equal(noKey.lines.at(-1)?.status, 'not-checked');
  const unsignedDir = await mkdtemp(join(tmpdir(), 'dbcomply-verify-unit-'));
  await writeFile(join(unsignedDir, 'results.json'), '{}');
  await writeManifest(unsignedDir, document, { operator: 'op' });
  const unsigned = await verifyRun(unsignedDir);
  assert.equal(unsigned.verified, true);
  assert.equal(unsigned.signed, false);
});

test('a manifest that lists a file twice, or spells a name as no run writes it, is refused', async () => {
  for (const [edit, expected] of [
    [(subject: Array<{ name: string }>) => subject.push({ ...subject[0] }), /lists a file more than once: results\.json/],
    [(subject: Array<{ name: string }>) => (subject[0].name = './results.json'), /lists names no run writes: "\.\/results\.json"/],
    [(subject: Array<{ name: string }>) => (subject[1].name = 't//report.html'), /lists names no run writes: "t\/\/report\.html"/],
    [(subject: Array<{ name: string }>) => subject.push({ name: '', digest: { sha256: '00' } } as { name: string }), /lists names no run writes: ""/],
  ] as const) {
    const { dir, publicKey } = await signedRun();
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.subject.map((subject: { name: string }) => subject.name), ['results.json', 't/report.html']);
    edit(manifest.subject);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const result = await verifyRun(dir, publicKey);
    assert.equal(result.verified, false);
    assert.match(result.lines[0].detail ?? '', expected);
  }
});
