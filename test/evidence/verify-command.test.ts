/**
 * A signed run against a real PostgreSQL and a closed port, then `dbcomply verify`: it passes as
 * written, and fails when one byte changes in any kind of output file, in the manifest or its
 * envelope, when a file is added, with the wrong key, and without a key unless --hashes-only. The signing key appears in no output.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../src/lab/local-server.js';
import { runCli, type CommandResult } from '../cli/run-command.js';

const work = await mkdtemp(join(tmpdir(), 'dbcomply-verify-'));
const signing = generateKeyPairSync('ed25519');
const privatePem = signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = signing.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const otherPublicPem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
const out = join(work, 'signed');
let server: LocalServer;
let signedRun: CommandResult;

before(async () => {
  await writeFile(join(work, 'signing.pem'), privatePem, { mode: 0o600 });
  await writeFile(join(work, 'signing.pub'), publicPem);
  await writeFile(join(work, 'other.pub'), otherPublicPem);
  server = await startLocalServer('postgres', 'hardened');
  const url = `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${server.database}?sslrootcert=${server.caFile}&name=pg`;
  signedRun = await runCli(
    ['run', '--target', url, '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed&timeout=500', '--tags', '@area:transport or @control:audit.clock-sync', '--out', out, '--signing-key', join(work, 'signing.pem'), '--operator', 'Jane Auditor'],
  );
});
after(async () => {
  await stopAllLocalServers();
  await rm(work, { recursive: true, force: true });
});

const verify = (dir: string, key?: string, ...flags: string[]) => runCli(['verify', dir, ...(key ? ['--key', join(work, key)] : []), ...flags]);

async function tamperedCopy(file: string): Promise<string> {
  const copy = await mkdtemp(join(work, 'tampered-'));
  await cp(out, copy, { recursive: true });
  const bytes = await readFile(join(copy, file));
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at] ^ 0x01;
  await writeFile(join(copy, file), bytes);
  return copy;
}

/** The leaf certificate's SHA-256 as OpenSSL sees it, independently of the harness's own TLS code. */
function opensslLeafSha256(port: number): string {
  const text = execFileSync('openssl', ['s_client', '-starttls', 'postgres', '-connect', `127.0.0.1:${port}`], { input: '', encoding: 'utf8', timeout: 10_000, stdio: ['pipe', 'pipe', 'ignore'] });
  const pem = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0];
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

test('a signed run writes a manifest of every output file with operator, revision and per-target fingerprints', async () => {
  assert.equal(signedRun.code, 1, 'the closed port is undecided, so the run does not pass');
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest._type, 'https://in-toto.io/Statement/v1');
  const names = manifest.subject.map((subject: { name: string }) => subject.name);
  for (const file of ['report.html', 'results.json', 'results.csv', 'junit.xml', 'pg/report.html', 'pg/junit.xml', 'pg/messages.ndjson', 'closed/report.html']) assert.ok(names.includes(file), `${file} is listed`);
  const results = await readFile(join(out, 'results.json'));
  assert.equal(manifest.subject.find((subject: { name: string }) => subject.name === 'results.json').digest.sha256, createHash('sha256').update(results).digest('hex'));
  const predicate = manifest.predicate;
  assert.equal(predicate.operator, 'Jane Auditor');
  assert.equal(predicate.profile, 'baseline');
  assert.match(predicate.tool.gitRevision, /^[0-9a-f]{40}$/);
  assert.ok(Date.parse(predicate.startedAt) <= Date.parse(predicate.finishedAt));
  const harnessClock = predicate.harnessClockOffset;
  if (harnessClock.offsetMs === 'unknown') assert.match(harnessClock.reason, /^no time service answered with an offset: chronyc tracking: \S/, 'no time service here: unknown, with what each said');
  else assert.ok(Number.isFinite(harnessClock.offsetMs) && harnessClock.source, 'an offset always names its source');
  const pg = predicate.targets.find((target: { name: string }) => target.name === 'pg');
  assert.equal(pg.serverVersion.split('.')[0], server.serverVersion.split('.')[0]);
  assert.equal(pg.certificateSha256, opensslLeafSha256(server.port));
  // The same local clock on both sides: the measured offset is small, and its error bar is half the round trip.
  const resultsDocument = JSON.parse(results.toString('utf8'));
  assert.deepEqual(pg.serverClockOffset, resultsDocument.targets.find((target: { name: string }) => target.name === 'pg').server.clockOffset);
  assert.ok(Math.abs(pg.serverClockOffset.offsetMs) < 1000, `offset ${pg.serverClockOffset.offsetMs} ms`);
  assert.equal(pg.serverClockOffset.errorBarMs, Math.round((pg.serverClockOffset.roundTripMs / 2) * 1000) / 1000);
  assert.equal(pg.serverClockOffset.samples, 3);
  const closed = predicate.targets.find((target: { name: string }) => target.name === 'closed');
  assert.equal(closed.certificateSha256, undefined, 'no handshake completed, so no certificate is claimed');
  assert.equal(closed.serverClockOffset, undefined, 'an unreachable server is not probed, so no clock offset is claimed');
});

test('verify passes the untouched run with the right key, one line per file', async () => {
  const run = await verify(out, 'signing.pub');
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^OK\s+results\.json$/m);
  assert.match(run.stdout, /^OK\s+pg\/messages\.ndjson$/m);
  assert.match(run.stdout, /^OK\s+manifest\.dsse\.json\s+signature verifies/m);
});

for (const file of ['report.html', 'results.json', 'results.csv', 'junit.xml', 'pg/report.html', 'pg/junit.xml', 'pg/messages.ndjson', 'closed/report.html', 'manifest.json', 'manifest.dsse.json']) {
  test(`verify fails when one byte of ${file} changes`, async () => {
    const run = await verify(await tamperedCopy(file), 'signing.pub');
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /NOT VERIFIED/);
    const named = file.startsWith('manifest') ? /^(INVALID|CHANGED)\s+manifest/m : new RegExp(`^CHANGED\\s+${file.replace('.', '\\.')}\\s`, 'm');
    assert.match(run.stdout, named);
  });
}

test('without --key a signed run fails closed; --hashes-only checks the hashes and says authenticity was not checked', async () => {
  const noKey = await verify(out);
  assert.equal(noKey.code, 1, noKey.stdout);
  assert.match(noKey.stdout, /^OK\s+results\.json$/m, 'the hashes are still checked and shown');
  assert.match(noKey.stdout, /^NOT-CHECKED\s+manifest\.dsse\.json\s+carries a signature whose keyid claims key [0-9a-f]{16}; neither is checked without --key/m);
  assert.match(noKey.stdout, /^NOT VERIFIED: signature present but not checked; give --key PUBLIC_KEY/m);
  const hashesOnly = await verify(out, undefined, '--hashes-only');
  assert.equal(hashesOnly.code, 0, hashesOnly.stdout);
  assert.match(hashesOnly.stdout, /^hashes verified: \d+ files match the manifest; AUTHENTICITY NOT CHECKED \(--hashes-only\)/m);
  assert.doesNotMatch(hashesOnly.stdout, /^verified:/m);
  const tampered = await verify(await tamperedCopy('results.json'), undefined, '--hashes-only');
  assert.equal(tampered.code, 1, 'a changed file fails with --hashes-only too');
  assert.match(tampered.stdout, /^CHANGED\s+results\.json/m);
  const both = await verify(out, 'signing.pub', '--hashes-only');
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--hashes-only: cannot be combined with --key/);
});

test('verify fails with the wrong key, and on a file added after the run', async () => {
  const wrongKey = await verify(out, 'other.pub');
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stdout, /^INVALID\s+manifest\.dsse\.json\s+no signature verifies/m);
  const copy = await mkdtemp(join(work, 'added-'));
  await cp(out, copy, { recursive: true });
  await writeFile(join(copy, 'pg', 'extra.html'), '<p>all passed</p>');
  const added = await verify(copy, 'signing.pub');
  assert.equal(added.code, 1);
  assert.match(added.stdout, /^UNLISTED\s+pg\/extra\.html/m);
});

test('an unsigned run verifies on its hashes only with --hashes-only, fails without it, and fails when a key is required', async () => {
  const unsigned = join(work, 'unsigned');
  const run = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed&timeout=500', '--tags', '@control:transport.tls1.3', '--out', unsigned]);
  assert.equal(run.code, 1);
  const noKey = await verify(unsigned);
  assert.equal(noKey.code, 1, noKey.stdout);
  assert.match(noKey.stdout, /^NOT-CHECKED\s+manifest\.dsse\.json\s+unsigned run/m);
  assert.match(noKey.stdout, /^NOT VERIFIED: the run is unsigned, so nothing vouches for who wrote the manifest; give --hashes-only/m);
  const hashesOnly = await verify(unsigned, undefined, '--hashes-only');
  assert.equal(hashesOnly.code, 0, hashesOnly.stdout);
  assert.match(hashesOnly.stdout, /AUTHENTICITY NOT CHECKED/);
  const withKey = await verify(unsigned, 'signing.pub');
  assert.equal(withKey.code, 1);
  assert.match(withKey.stdout, /^UNSIGNED\s+manifest\.dsse\.json/m);
});

test('usage errors: a missing directory or a key that is not ed25519/P-256 exits 2', async () => {
  assert.equal((await verify(join(work, 'nowhere'))).code, 2);
  await writeFile(join(work, 'rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const rsa = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed', '--signing-key', join(work, 'rsa.pem'), '--out', join(work, 'rsa-run')]);
  assert.equal(rsa.code, 2);
  assert.match(rsa.stderr, /--signing-key: .*rsa key; expected ed25519 or ECDSA P-256/);
});

test('the signing key appears in no output file, nor on the terminal', async () => {
  const raw = Buffer.from(signing.privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const body = privatePem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
  const forms = [body, body.slice(0, 40), raw.toString('base64'), raw.toString('base64url'), raw.toString('hex'), JSON.stringify(privatePem).slice(1, -1)];
  const entries = await readdir(out, { withFileTypes: true, recursive: true });
  const outputs: Array<[string, string]> = [['stdout', signedRun.stdout], ['stderr', signedRun.stderr]];
  for (const entry of entries.filter((item) => item.isFile())) outputs.push([entry.name, await readFile(join(entry.parentPath ?? entry.path, entry.name), 'latin1')]);
  assert.ok(outputs.length >= 10);
  for (const [where, text] of outputs) for (const form of forms) assert.ok(!text.includes(form), `key material in ${where}`);
});
