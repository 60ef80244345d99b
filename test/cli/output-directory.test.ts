import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareOutputDirectory } from '../../src/cli/output-directory.js';
import { ConfigError } from '../../src/targets/config-error.js';

test('--out: a new directory is made, an empty one is used, a non-empty one or a file is refused', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dbcomply-out-'));
  assert.equal(await prepareOutputDirectory(join(root, 'a', 'b')), join(root, 'a', 'b'));
  assert.equal(await prepareOutputDirectory(join(root, 'a', 'b')), join(root, 'a', 'b'), 'an empty directory is fine');
  await writeFile(join(root, 'a', 'b', 'report.html'), 'left by another run');
  await assert.rejects(prepareOutputDirectory(join(root, 'a', 'b')), (error: unknown) => error instanceof ConfigError && /is not empty: a run's manifest vouches for every file/.test(error.message));
  await assert.rejects(prepareOutputDirectory(join(root, 'a', 'b', 'report.html')), /exists and is not a directory/);
});
