/**
 * --compare against a previous run of real servers: each cell is marked in results.json, the
 * matrix and the terminal; --fail-on new fails only on new failures.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { runCli } from './run-command.js';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

const work = await mkdtemp(join(tmpdir(), 'dbcomply-compare-'));
after(async () => {
  await stopAllLocalServers();
  await rm(work, { recursive: true, force: true });
});

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));

test('--compare marks new failures, fixed, still failing and newly undecided; --fail-on new fails only on new failures', async () => {
  const legacy = await startLocalServer('postgres', 'legacy');
  const targets = [
    '--target', `postgres://${legacy.user}:${encodeURIComponent(legacy.password)}@${legacy.host}:${legacy.port}/${legacy.database}?sslrootcert=${legacy.caFile}&name=legacy`,
    '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed&timeout=500',
    '--tags', '@area:transport',
  ];
  const first = join(work, 'first');
  assert.equal((await runCli(['run', ...targets, '--out', first])).code, 1);
  const observed = await readJson(join(first, 'results.json'));
  const legacyNow = observed.targets.find((target: { name: string }) => target.name === 'legacy').controls;
  assert.equal(legacyNow['transport.no-tls1.0'], 'failed', 'the legacy server accepts TLS 1.0');
  assert.equal(legacyNow['transport.no-tls1.1'], 'failed');
  assert.equal(legacyNow['transport.tls1.3'], 'passed');
  // The night before, as an auditor would have archived it: TLS 1.0 was refused, TLS 1.3 failed, the closed target's TLS 1.3 passed.
  const previous = structuredClone(observed);
  previous.startedAt = '2026-01-01T00:00:00.000Z';
  const legacyBefore = previous.targets.find((target: { name: string }) => target.name === 'legacy').controls;
  legacyBefore['transport.no-tls1.0'] = 'passed';
  legacyBefore['transport.tls1.3'] = 'failed';
  previous.targets.find((target: { name: string }) => target.name === 'closed').controls['transport.tls1.3'] = 'passed';
  await writeFile(join(work, 'previous.json'), JSON.stringify(previous));

  const second = join(work, 'second');
  const compared = await runCli(['run', ...targets, '--out', second, '--compare', join(work, 'previous.json'), '--fail-on', 'new']);
  assert.equal(compared.code, 1, 'a new failure fails the run even with --fail-on new');
  const results = await readJson(join(second, 'results.json'));
  const trend = (name: string) => results.targets.find((target: { name: string }) => target.name === name).trend;
  assert.equal(trend('legacy')['transport.no-tls1.0'], 'new-failure');
  assert.equal(trend('legacy')['transport.no-tls1.1'], 'still-failing');
  assert.equal(trend('legacy')['transport.tls1.3'], 'fixed');
  assert.equal(trend('closed')['transport.tls1.3'], 'newly-undecided');
  assert.equal(trend('closed')['transport.tls1.2'], undefined, 'undecided both times is no change');
  assert.equal(results.comparison.counts['new-failure'], 1);
  assert.equal(results.comparison.previousStartedAt, '2026-01-01T00:00:00.000Z');
  assert.match(compared.stdout, /^Since the run of 2026-01-01T00:00:00\.000Z: 1 new failure, 1 fixed, \d+ still failing, 1 newly undecided$/m);
  assert.match(compared.stdout, /^ {4}new failure: legacy transport\.no-tls1\.0$/m);
  const html = await readFile(join(second, 'report.html'), 'utf8');
  assert.match(html, /class="v-failed t-new-failure" data-col="transport\.no-tls1\.0"[^>]*><a href="legacy\/report\.html\?query=%40control%3Atransport\.no-tls1\.0">failed<span class="trend">new failure<\/span>/);
  assert.match(html, /class="v-passed t-fixed" data-col="transport\.tls1\.3"/);
  if (chromium) {
    // Following the cell: the target's Cucumber report shows that control's scenarios, not the others.
    const link = html.match(/data-col="transport\.no-tls1\.0"[^>]*><a href="(legacy\/report\.html\?[^"]+)"/)![1];
    const dom = execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=5000', '--dump-dom', `file://${join(second, link)}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    assert.match(dom, /@control:transport\.no-tls1\.0/);
    assert.doesNotMatch(dom, /@control:transport\.tls1\.3</, 'other controls are filtered out');
  }

  // Night three: nothing changed. Legacy failures and undecided controls remain, but none is new.
  const third = await runCli(['run', ...targets, '--out', join(work, 'third'), '--compare', second, '--fail-on', 'new']);
  assert.equal(third.code, 0, third.stdout + third.stderr);
  assert.match(third.stdout, /: 0 new failure, 0 fixed, \d+ still failing, 0 newly undecided$/m);
  const byDefault = await runCli(['run', ...targets, '--out', join(work, 'fourth'), '--compare', second]);
  assert.equal(byDefault.code, 1, 'without --fail-on new, any failure fails the run');
});

test('--compare with something that is not a previous run, or --fail-on new alone, is a usage error', async () => {
  const nowhere = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app', '--compare', join(work, 'nowhere')]);
  assert.equal(nowhere.code, 2);
  assert.match(nowhere.stderr, /--compare: .*nowhere does not exist/);
  await writeFile(join(work, 'other.json'), '{"hello":1}');
  const other = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app', '--compare', join(work, 'other.json')]);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /not a dbcomply results\.json/);
  const alone = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app', '--fail-on', 'new']);
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--fail-on: new needs --compare/);
});
