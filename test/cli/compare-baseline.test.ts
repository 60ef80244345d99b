/**
 * `--compare PREVIOUS --fail-on new` lets the previous run decide which failures count: an attacker
 * who can write the archived previous run and marks tonight's failures as failing last night too
 * turns a failing run into exit 0. The baseline is therefore held to its manifest (its hashes, and
 * its signature with --compare-key, or merge's --key), as merge holds its shards. Real servers: a
 * hardened PostgreSQL was "last night", a legacy one named the same is "tonight".
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../src/lab/local-server.js';
import { runCli } from './run-command.js';

const work = await mkdtemp(join(tmpdir(), 'dbcomply-compare-baseline-'));
const previous = join(work, 'previous');
const signing = generateKeyPairSync('ed25519');
let legacy: LocalServer;
const urlOf = (server: LocalServer) => `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${server.database}?sslrootcert=${server.caFile}&name=pg`;
const TAGS = ['--tags', '@control:transport.no-tls1.0 or @control:transport.no-tls1.1'];

before(async () => {
  await writeFile(join(work, 'signing.pem'), signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  await writeFile(join(work, 'signing.pub'), signing.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const [hardened, legacyServer] = await Promise.all([startLocalServer('postgres', 'hardened'), startLocalServer('postgres', 'legacy')]);
  legacy = legacyServer;
  const last = await runCli(['run', '--target', urlOf(hardened), ...TAGS, '--out', previous, '--signing-key', join(work, 'signing.pem')]);
  assert.equal(last.code, 0, last.stdout + last.stderr);
});
after(async () => {
  await stopAllLocalServers();
  await rm(work, { recursive: true, force: true });
});

/** The previous run as an attacker leaves it: every passed control now reads failed. */
async function forgedPrevious(alsoRewriteManifest: boolean): Promise<string> {
  const dir = await mkdtemp(join(work, 'forged-'));
  await cp(previous, dir, { recursive: true });
  const forged = (await readFile(join(dir, 'results.json'), 'utf8')).replaceAll('"passed"', '"failed"');
  await writeFile(join(dir, 'results.json'), forged);
  if (alsoRewriteManifest) {
    const { createHash } = await import('node:crypto');
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    manifest.subject.find((subject: { name: string }) => subject.name === 'results.json').digest.sha256 = createHash('sha256').update(forged).digest('hex');
    const text = JSON.stringify(manifest, null, 2) + '\n';
    await writeFile(join(dir, 'manifest.json'), text);
    const envelope = JSON.parse(await readFile(join(dir, 'manifest.dsse.json'), 'utf8'));
    envelope.payload = Buffer.from(text).toString('base64');
    await writeFile(join(dir, 'manifest.dsse.json'), JSON.stringify(envelope, null, 2) + '\n');
  }
  return dir;
}

const tonight = (baseline: string, ...flags: string[]) => runCli(['run', '--target', urlOf(legacy), ...TAGS, '--out', join(work, `tonight-${Math.random().toString(36).slice(2)}`), '--compare', baseline, '--fail-on', 'new', ...flags]);

test('against the genuine previous run, tonight\'s failures are new and fail the run', async () => {
  const honest = await tonight(previous, '--compare-key', join(work, 'signing.pub'));
  assert.equal(honest.code, 1, honest.stdout + honest.stderr);
  assert.match(honest.stdout, /new failure/i);
});

test('a previous run whose results.json was edited is refused as a baseline, with or without --compare-key', async () => {
  const forged = await forgedPrevious(false);
  for (const flags of [[], ['--compare-key', join(work, 'signing.pub')]]) {
    const run = await tonight(forged, ...flags);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /--compare: \S+ does not verify against its manifest \(changed results\.json\)/);
  }
});

test('a previous run whose manifest was rewritten to match is refused with --compare-key; without it, its authenticity is said to be unchecked', async () => {
  const forged = await forgedPrevious(true);
  const keyed = await tonight(forged, '--compare-key', join(work, 'signing.pub'));
  assert.equal(keyed.code, 2, keyed.stdout + keyed.stderr);
  assert.match(keyed.stderr, /--compare: \S+ does not verify against its manifest \(invalid manifest\.dsse\.json\)/);
  const unkeyed = await tonight(forged);
  assert.match(unkeyed.stdout, /^dbcomply: --compare baseline \S+: its hashes match its manifest, but its authenticity was not checked \(give --compare-key PUBLIC_KEY\)/m);
});
