import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchPostgresBuild, hydrateSymlinks, sha512Integrity } from '../../src/lab/fetch-postgres-build.js';
import { pinnedPostgresBuilds } from '../../src/lab/postgres-versions.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dbcomply-fetch-test-'));
}

test('hydrateSymlinks makes the relative links pg-symlinks.json lists, as the package postinstall does, and is idempotent', async () => {
  const dir = await scratch();
  try {
    await mkdir(join(dir, 'native', 'lib'), { recursive: true });
    await writeFile(join(dir, 'native', 'lib', 'libicuuc.so.60.2'), 'library');
    await writeFile(
      join(dir, 'native', 'pg-symlinks.json'),
      JSON.stringify([
        { source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so.60' },
        { source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so' },
      ]),
    );
    assert.equal(await hydrateSymlinks(dir), 2);
    assert.equal(await readlink(join(dir, 'native', 'lib', 'libicuuc.so.60')), 'libicuuc.so.60.2');
    assert.equal(await hydrateSymlinks(dir), 0, 'a second run finds the links there');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('hydrateSymlinks refuses a link that would leave the package', async () => {
  const dir = await scratch();
  try {
    await mkdir(join(dir, 'native'), { recursive: true });
    await writeFile(join(dir, 'native', 'pg-symlinks.json'), JSON.stringify([{ source: '/etc/passwd', target: 'native/passwd' }]));
    await assert.rejects(hydrateSymlinks(dir), /outside the package/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sha512Integrity is the registry dist.integrity form', async () => {
  const dir = await scratch();
  try {
    await writeFile(join(dir, 'f'), 'abc');
    assert.equal(
      await sha512Integrity(join(dir, 'f')),
      'sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a tarball that does not hash to the pinned integrity is refused and nothing is installed (through npm; its cache makes it quick)', async () => {
  const cache = await scratch();
  try {
    const pinned = pinnedPostgresBuilds()[13];
    const tampered = { ...pinned, integrity: `sha512-${'A'.repeat(86)}==` };
    await assert.rejects(fetchPostgresBuild(13, tampered, cache), /not the integrity pinned in lab-versions\.json.*refusing to unpack/);
    assert.deepEqual(await readdir(cache), [], 'no install folder, no leftover download');
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
});
