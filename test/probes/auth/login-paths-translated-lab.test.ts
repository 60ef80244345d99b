/**
 * A PostgreSQL server that speaks German (lc_messages) refuses login paths in German; the
 * login-path matrix still tells pg_hba's refusals from the rest, so auth.no-passwordless is
 * decided there as on an English server instead of being left undecided. Real PostgreSQL, with a
 * German locale compiled into a private folder (LOCPATH) so that the machine's locales stay as
 * they are.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { runCommand } from '../../../src/lab/run-command.js';
import { noPasswordless } from '../../../src/probes/auth/passwordless.js';
import { decideCheck } from '../../support/decide-check.js';
import { reloadLabPostgres } from '../../support/postgres-admin.js';

const LOCALE = 'de_DE.UTF-8';
let localeFolder: string | undefined;
let server: LocalServer | undefined;
let unavailable: string | false = false;

before(async () => {
  localeFolder = await mkdtemp(join(tmpdir(), 'dbcomply-locale-'));
  // The server runs as an unprivileged account, which must be able to read the compiled locale.
  await chmod(localeFolder, 0o755);
  try {
    await runCommand('localedef', ['-i', 'de_DE', '-f', 'UTF-8', join(localeFolder, LOCALE)], { timeoutMs: 60_000 });
  } catch (error) {
    unavailable = `no German locale can be compiled here: ${(error as Error).message.split('\n')[0]}`;
    return;
  }
  const previous = process.env.LOCPATH;
  process.env.LOCPATH = localeFolder;
  try {
    server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  } finally {
    if (previous === undefined) delete process.env.LOCPATH;
    else process.env.LOCPATH = previous;
  }
  await reloadLabPostgres(server, [`ALTER SYSTEM SET lc_messages = '${LOCALE}'`]);
});
after(async () => {
  await stopAllLocalServers();
  if (localeFolder) await rm(localeFolder, { recursive: true, force: true });
});

test('pg_hba refusals in German count as the rules, and auth.no-passwordless is decided', async (t) => {
  if (unavailable) return t.skip(unavailable);
  const outcome = await decideCheck(noPasswordless, targetForLocalServer('german', server!, 'baseline'));
  const messages = outcome.evidence && 'paths' in outcome.evidence ? outcome.evidence.paths.flatMap((path) => (path.answer.kind === 'refused' ? [path.answer.message] : [])) : [];
  // The server did speak German: otherwise this test would show nothing.
  assert.ok(messages.some((message) => message.startsWith('kein pg_hba.conf-Eintrag')), `refusals seen: ${messages.slice(0, 3).join(' | ')}`);
  assert.equal(outcome.decision.verdict, 'passed', outcome.decision.reason);
});
