/** The lab's archive_command, run by the shell as PostgreSQL runs it, on segment files of its own. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresArchiveCommand, mariaDbBinaryLogOptions, postgresArchivingConf } from '../../../src/lab/restore-drill/archiving.js';
import { serverConfiguration } from '../../../src/lab/server-configurations.js';

/** What PostgreSQL does: %p is the segment's path relative to the data directory, %f its file name. */
function archive(command: string, dataDirectory: string, segment: string): number {
  const filled = command.replaceAll('%p', `pg_wal/${segment}`).replaceAll('%f', segment);
  return spawnSync('/bin/sh', ['-c', filled], { cwd: dataDirectory }).status ?? -1;
}

async function lab() {
  const root = await mkdtemp(join(tmpdir(), 'dbcomply-archiving-test-'));
  const dataDirectory = join(root, 'data');
  const archiveDirectory = join(root, 'archive');
  await mkdir(join(dataDirectory, 'pg_wal'), { recursive: true });
  await mkdir(archiveDirectory);
  const segment = async (name: string, content: string) => writeFile(join(dataDirectory, 'pg_wal', name), content);
  return { root, dataDirectory, archiveDirectory, segment };
}

test('backup.restore-drill lab archive_command keeps every segment and fails rather than overwrite one', async () => {
  const { root, dataDirectory, archiveDirectory, segment } = await lab();
  try {
    const command = postgresArchiveCommand('on', archiveDirectory);
    await segment('00000001000000000000000B', 'first');
    await segment('00000001000000000000000C', 'second');
    assert.equal(archive(command, dataDirectory, '00000001000000000000000B'), 0);
    assert.equal(archive(command, dataDirectory, '00000001000000000000000C'), 0);
    await segment('00000001000000000000000B', 'rewritten');
    assert.notEqual(archive(command, dataDirectory, '00000001000000000000000B'), 0, 'an existing segment must not be overwritten silently');
    assert.equal(await readFile(join(archiveDirectory, '00000001000000000000000B'), 'utf8'), 'first');
    assert.deepEqual((await readdir(archiveDirectory)).sort(), ['00000001000000000000000B', '00000001000000000000000C']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('backup.restore-drill lab archive-gap reports odd segments archived but keeps only even ones', async () => {
  const { root, dataDirectory, archiveDirectory, segment } = await lab();
  try {
    const command = postgresArchiveCommand('gap', archiveDirectory);
    const names = ['00000001000000000000000A', '00000001000000000000000B', '00000001000000000000000C', '00000001000000000000000D'];
    for (const name of names) {
      await segment(name, name);
      assert.equal(archive(command, dataDirectory, name), 0, `${name} must look archived to PostgreSQL`);
    }
    assert.deepEqual((await readdir(archiveDirectory)).sort(), ['00000001000000000000000A', '00000001000000000000000C']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('backup.restore-drill lab configurations: archiving on, off and with gaps on each engine', () => {
  assert.match(postgresArchivingConf(serverConfiguration('archiving-off'), '/a'), /^archive_mode = 'off'\n$/);
  assert.match(postgresArchivingConf(serverConfiguration('hardened'), '/a'), /archive_mode = 'on'\narchive_command = 'test ! -f "\/a\/%f" && cp /);
  assert.deepEqual(mariaDbBinaryLogOptions(serverConfiguration('archiving-off')), ['--skip-log-bin']);
  assert.ok(mariaDbBinaryLogOptions(serverConfiguration('hardened')).includes('--log-bin=binlog'));
  assert.ok(mariaDbBinaryLogOptions(serverConfiguration('archive-gap')).includes('--binlog-expire-logs-seconds=1'));
  // Both periods, the long one first: MariaDB links them and the later option wins (backup.pitr-ready's variant).
  const short = mariaDbBinaryLogOptions(serverConfiguration('archive-short-retention'));
  assert.ok(short.indexOf('--expire-logs-days=30') >= 0 && short.indexOf('--expire-logs-days=30') < short.indexOf('--binlog-expire-logs-seconds=3600'), short.join(' '));
  assert.equal(postgresArchivingConf(serverConfiguration('archive-short-retention'), '/a'), postgresArchivingConf(serverConfiguration('hardened'), '/a'));
});
