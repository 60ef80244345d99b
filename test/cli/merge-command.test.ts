/**
 * A shard is verified before it is read and copied: what merge then uses is held to the verified
 * manifest's digests, so a file swapped in between (by whoever can write the shard's directory) is
 * refused, not merged and signed over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCopiedReports } from '../../src/cli/merge-command.js';
import { readShard } from '../../src/report/merge-shards.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('copied reports: accepted as listed, refused when one changed or one is not listed', async () => {
  const out = await mkdtemp(join(tmpdir(), 'dbcomply-merge-copy-'));
  await mkdir(join(out, 'pg', 'sub'), { recursive: true });
  await writeFile(join(out, 'pg', 'report.html'), 'as verified');
  await writeFile(join(out, 'pg', 'sub', 'junit.xml'), '<x/>');
  const digests = new Map([
    ['pg/report.html', sha256('as verified')],
    ['pg/sub/junit.xml', sha256('<x/>')],
  ]);
  await checkCopiedReports(out, 'pg', 'shard-1', digests);
  await writeFile(join(out, 'pg', 'report.html'), 'swapped');
  await assert.rejects(checkCopiedReports(out, 'pg', 'shard-1', digests), /shard-1: pg\/report\.html changed after the shard was verified/);
  await writeFile(join(out, 'pg', 'report.html'), 'as verified');
  await writeFile(join(out, 'pg', 'extra.html'), 'planted');
  await assert.rejects(checkCopiedReports(out, 'pg', 'shard-1', digests), /shard-1: pg\/extra\.html is not in its manifest/);
});

test('copied reports: a symbolic link slipped into a shard after it was verified is refused, not carried into the merged output', async () => {
  const out = await mkdtemp(join(tmpdir(), 'dbcomply-merge-copy-'));
  await mkdir(join(out, 'pg'));
  await writeFile(join(out, 'pg', 'report.html'), 'as verified');
  const digests = new Map([['pg/report.html', sha256('as verified')]]);
  await symlink('/etc/hostname', join(out, 'pg', 'index.html'));
  await assert.rejects(checkCopiedReports(out, 'pg', 'shard-1', digests), /shard-1: pg\/index\.html is a symbolic link, not a file the run wrote/);
  await rm(join(out, 'pg', 'index.html'));
  await checkCopiedReports(out, 'pg', 'shard-1', digests);
});

test("a shard's results.json is parsed from the very bytes held to the verified digest", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dbcomply-merge-read-'));
  const text = JSON.stringify({ targets: [] });
  await writeFile(join(dir, 'results.json'), text);
  assert.deepEqual((await readShard(dir, sha256(text))).document, { targets: [] });
  await assert.rejects(readShard(dir, sha256('what was verified')), /results\.json changed after the shard was verified/);
});
