import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesHoldingPlaintext } from '../../../src/probes/rest/plaintext-search.js';

const dir = await mkdtemp(join(tmpdir(), 'dbcomply-plaintext-'));
after(() => rm(dir, { recursive: true, force: true }));

test('rest.tablespaces-encrypted host search: finds the canary in any file, across a 4 MiB chunk edge, and skips what it is told to', async () => {
  const canary = 'DBC_CANARY_0123456789abcdef';
  await mkdir(join(dir, 'data', 'app'), { recursive: true });
  const edge = Buffer.alloc(4 * 1024 * 1024 + 100, 0x41);
  Buffer.from(canary).copy(edge, 4 * 1024 * 1024 - 10); // straddles the first chunk's end
  await writeFile(join(dir, 'data', 'app', 'big.ibd'), edge);
  await writeFile(join(dir, 'data', 'ib_logfile0'), Buffer.concat([Buffer.from('xx'), Buffer.from(canary)]));
  await writeFile(join(dir, 'binlog.000001'), 'nothing here');
  await writeFile(join(dir, 'server.log'), canary);
  const search = await filesHoldingPlaintext(dir, canary, (name) => name === 'server.log');
  assert.deepEqual(search.holding, ['data/app/big.ibd', 'data/ib_logfile0']);
  assert.deepEqual(search.searched, ['binlog.000001', 'data/app/big.ibd', 'data/ib_logfile0']);
});
