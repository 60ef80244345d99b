import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTargets } from '../../src/targets/resolve-targets.js';
import { ConfigError } from '../../src/targets/config-error.js';
import { reasonNotApplicable } from '../../src/controls/applicability.js';

const dir = await mkdtemp(join(tmpdir(), 'dbcomply-logs-config-'));
after(() => rm(dir, { recursive: true, force: true }));

async function targetsFrom(logs: string): Promise<Awaited<ReturnType<typeof resolveTargets>>> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, `targets:\n  - name: a\n    url: postgres://app@db/x\n${logs}`);
  return resolveTargets({ urls: [], configFile: path });
}

test('logs: a file relative to the config file, a list of files, or a command, with an optional wait', async () => {
  assert.deepEqual((await targetsFrom('    logs: { file: pg/server.log }\n'))[0].logs, { files: [join(dir, 'pg/server.log')] });
  assert.deepEqual((await targetsFrom('    logs: { files: [/var/log/a.log, b.log], wait: 60000 }\n'))[0].logs, { files: ['/var/log/a.log', join(dir, 'b.log')], waitMs: 60000 });
  assert.deepEqual((await targetsFrom('    logs: { command: [journalctl, -u, postgresql, --since, -5min] }\n'))[0].logs, { command: ['journalctl', '-u', 'postgresql', '--since', '-5min'] });
});

test('audit.failed-logins-recorded is skipped, with the reason, on a target without logs and without an account to read the log over SQL', async () => {
  const [without] = await targetsFrom('');
  const [anonymous] = [{ ...without, user: undefined, auditor: undefined }];
  assert.match(reasonNotApplicable('audit.failed-logins-recorded', anonymous) ?? '', /declare where the server's log or audit trail can be read .* or an auditor allowed to read the server's log over SQL/);
  // With an account, the read asks the server whether its log is readable over SQL (and skips when it is not).
  assert.equal(reasonNotApplicable('audit.failed-logins-recorded', without), undefined);
  const [declared] = await targetsFrom('    logs: { file: x.log }\n');
  assert.equal(reasonNotApplicable('audit.failed-logins-recorded', declared), undefined);
});

test('logs: { sql: true } declares the server\'s own log, read over SQL, with an optional wait', async () => {
  assert.deepEqual((await targetsFrom('    logs: { sql: true }\n'))[0].logs, { sql: true });
  assert.deepEqual((await targetsFrom('    logs: { sql: true, wait: 30000 }\n'))[0].logs, { sql: true, waitMs: 30000 });
});

for (const [name, logs, expected] of [
  ['neither files nor command', '    logs: {}\n', /expected file, files, command or sql/],
  ['both files and command', '    logs: { file: a.log, command: [cat, a.log] }\n', /one source: files, a command, or sql, not several/],
  ['unknown key', '    logs: { path: a.log }\n', /unknown key/],
  ['command as a string', '    logs: { command: "cat a.log" }\n', /list of non-empty strings/],
  ['bad wait', '    logs: { file: a.log, wait: soon }\n', /positive whole number/],
  ['sql with a file', '    logs: { sql: true, file: a.log }\n', /one source: files, a command, or sql, not several/],
  ['sql: false', '    logs: { sql: false }\n', /expected true/],
] as const) {
  test(`logs config error: ${name}`, async () => {
    await assert.rejects(targetsFrom(logs), (error: unknown) => error instanceof ConfigError && /targets\[0\]\.logs/.test(error.message) && expected.test(error.message));
  });
}
