/**
 * `dbcomply run ... | head -1`: the reader of stdout goes away while the run goes on. The run must
 * still write its reports and manifest and exit with what it found, not die of EPIPE with a stack
 * trace half-way through, leaving an output directory without results.json or manifest.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';

const work = await mkdtemp(join(tmpdir(), 'dbcomply-closed-stdout-'));
after(() => rm(work, { recursive: true, force: true }));

test('a run whose stdout reader has gone writes every report and exits 1 for its undecided controls, without a stack trace', async () => {
  const out = join(work, 'run');
  const child = spawn(
    process.execPath,
    [join(PACKAGE_ROOT, 'bin', 'dbcomply.js'), 'run', '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed&timeout=500', '--tags', '@area:transport', '--out', out],
    { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // As `| head -0` would: nobody reads stdout, so the CLI's first line there meets a closed pipe.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('dbcomply did not finish within 60 s'));
    }, 60_000);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  assert.doesNotMatch(stderr, /EPIPE|Unhandled 'error' event|\n\s+at /, stderr);
  assert.equal(code, 1, 'the unreachable target leaves its controls undecided');
  for (const file of ['results.json', 'report.html', 'manifest.json', 'manifest.dsse.json']) assert.ok(existsSync(join(out, file)), `${file} written`);
});
