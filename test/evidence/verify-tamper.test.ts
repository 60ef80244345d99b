/**
 * `dbcomply verify` against an attacker who can write the archived output directory but holds no
 * private key. One real signed run (a closed port: every output file kind is written, per target
 * too) is copied and tampered with per test; every tampered copy must exit 1 with NOT VERIFIED as
 * the last line, naming what changed. Entries that are not regular files (symbolic links, a
 * symlinked target directory, a FIFO) and empty directories count as changes: the run writes none.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CommandResult } from '../cli/run-command.js';
import { writeManifest } from '../../src/evidence/manifest.js';

const work = await mkdtemp(join(tmpdir(), 'dbcomply-verify-tamper-'));
const out = join(work, 'run');
const signing = generateKeyPairSync('ed25519');

before(async () => {
  await writeFile(join(work, 'signing.pem'), signing.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  await writeFile(join(work, 'signing.pub'), signing.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const run = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed&timeout=500', '--tags', '@area:transport', '--out', out, '--signing-key', join(work, 'signing.pem'), '--operator', 'Jane Auditor']);
  assert.equal(run.code, 1, run.stderr);
});
after(() => rm(work, { recursive: true, force: true }));

const verify = (dir: string, ...flags: string[]) => runCli(['verify', dir, '--key', join(work, 'signing.pub'), ...flags], { timeoutMs: 20_000 });

async function tampered(change: (dir: string) => Promise<void>): Promise<string> {
  const copy = await mkdtemp(join(work, 'tampered-'));
  await cp(out, copy, { recursive: true });
  await change(copy);
  return copy;
}

function assertRefused(run: CommandResult, named: RegExp): void {
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout.trimEnd().split('\n').at(-1)!, /^NOT VERIFIED: /);
  assert.match(run.stdout, named);
}

test('the untouched copy verifies, so every refusal below is the tampering alone', async () => {
  const run = await verify(await tampered(async () => undefined));
  assert.equal(run.code, 0, run.stdout);
});

test('a listed file replaced by a symbolic link to an identical copy outside the directory is refused', async () => {
  const dir = await tampered(async (copy) => {
    await cp(join(copy, 'results.json'), join(work, 'outside-results.json'));
    await unlink(join(copy, 'results.json'));
    await symlink(join(work, 'outside-results.json'), join(copy, 'results.json'));
  });
  assertRefused(await verify(dir), /^CHANGED\s+results\.json\s+a symbolic link/m);
});

test('a target directory replaced by a symbolic link to an identical copy is refused', async () => {
  const dir = await tampered(async (copy) => {
    await cp(join(copy, 'closed'), join(work, 'outside-closed'), { recursive: true });
    await rm(join(copy, 'closed'), { recursive: true });
    await symlink(join(work, 'outside-closed'), join(copy, 'closed'));
  });
  const run = await verify(dir);
  assertRefused(run, /^UNLISTED\s+closed\s+a symbolic link/m);
  assert.match(run.stdout, /^CHANGED\s+closed\/report\.html\s+reached through a symbolic link/m);
});

test('an added symbolic link, to a file outside, to a directory, or dangling, is refused', async () => {
  const dir = await tampered(async (copy) => {
    await writeFile(join(work, 'forged.html'), '<p>all controls passed</p>');
    await symlink(join(work, 'forged.html'), join(copy, 'index.html'));
    await symlink(work, join(copy, 'closed', 'evidence'));
    await symlink(join(work, 'nowhere'), join(copy, 'dangling'));
  });
  const run = await verify(dir);
  assertRefused(run, /^UNLISTED\s+index\.html\s+a symbolic link/m);
  assert.match(run.stdout, /^UNLISTED\s+closed\/evidence\s+a symbolic link/m);
  assert.match(run.stdout, /^UNLISTED\s+dangling\s+a symbolic link/m);
});

test('an added empty directory is refused: its name alone can tell an auditor something', async () => {
  const dir = await tampered((copy) => mkdir(join(copy, 'ALL-CONTROLS-PASSED')));
  assertRefused(await verify(dir), /^UNLISTED\s+ALL-CONTROLS-PASSED\s+an empty directory/m);
});

test('a FIFO in place of a listed file is refused at once instead of hanging verify', async () => {
  const dir = await tampered(async (copy) => {
    await unlink(join(copy, 'results.csv'));
    execFileSync('mkfifo', [join(copy, 'results.csv')]);
  });
  assertRefused(await verify(dir), /^CHANGED\s+results\.csv\s+not a regular file/m);
});

test('manifest.json or its envelope as a symbolic link to an identical copy is refused', async () => {
  for (const file of ['manifest.json', 'manifest.dsse.json']) {
    const dir = await tampered(async (copy) => {
      await cp(join(copy, file), join(work, `outside-${file}`));
      await unlink(join(copy, file));
      await symlink(join(work, `outside-${file}`), join(copy, file));
    });
    assertRefused(await verify(dir), new RegExp(`^(INVALID|MISSING)\\s+${file.replace(/\./g, '\\.')}\\s+a symbolic link`, 'm'));
  }
});

test('a file name that carries a line break and a terminal escape cannot forge a verdict line or hide the real one', async () => {
  const dir = await tampered((copy) => writeFile(join(copy, 'a\nverified: 9 checks passed, the signature among them\u001b[8m\u202e'), 'x'));
  const run = await verify(dir);
  assertRefused(run, /^UNLISTED\s+a\\u000averified: 9 checks passed, the signature among them\\u001b\[8m\\u202e\s+not in the manifest/m);
  assert.doesNotMatch(run.stdout, /^verified:/m);
  assert.doesNotMatch(run.stdout, /[\u001b\u202e]/);
});

type Envelope = { payloadType: string; payload: string; signatures: Array<{ keyid?: string; sig: string }> } & Record<string, unknown>;

async function editedEnvelope(edit: (envelope: Envelope) => void): Promise<string> {
  return tampered(async (copy) => {
    const envelope = JSON.parse(await readFile(join(copy, 'manifest.dsse.json'), 'utf8')) as Envelope;
    const before = JSON.stringify(envelope);
    edit(envelope);
    assert.notEqual(JSON.stringify(envelope), before, 'the edit changes the envelope');
    await writeFile(join(copy, 'manifest.dsse.json'), JSON.stringify(envelope, null, 2));
  });
}

test('an envelope changed after signing is refused even where its signature still verifies', async () => {
  const edits: Record<string, (envelope: Envelope) => void> = {
    'a second, forged signature': (envelope) => envelope.signatures.unshift({ keyid: 'f'.repeat(64), sig: Buffer.alloc(64).toString('base64') }),
    'the same signature twice': (envelope) => envelope.signatures.push({ ...envelope.signatures[0] }),
    'a keyid naming another key': (envelope) => (envelope.signatures[0].keyid = 'e'.repeat(64)),
    'an added field': (envelope) => (envelope.approvedBy = 'CISO'),
    'the payload in lines': (envelope) => (envelope.payload = envelope.payload.replace(/(.{76})/g, '$1\n')),
    'bytes after the payload padding': (envelope) => (envelope.payload += '====SGlkZGVu'),
    'the signature with spaces': (envelope) => (envelope.signatures[0].sig = ` ${envelope.signatures[0].sig}\n`),
  };
  for (const [what, edit] of Object.entries(edits)) {
    const run = await verify(await editedEnvelope(edit));
    assert.equal(run.code, 1, `${what}: ${run.stdout}`);
    assert.match(run.stdout, /^INVALID\s+manifest\.dsse\.json\s/m, what);
  }
});

test('an envelope whose keyid was removed still verifies: DSSE makes the keyid an optional, unauthenticated hint', async () => {
  const run = await verify(await editedEnvelope((envelope) => delete envelope.signatures[0].keyid));
  assert.equal(run.code, 0, run.stdout);
});

test('a whole directory replaced by another run signed with the same key verifies, and says which run it is', async () => {
  const other = join(work, 'other-run');
  const run = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app?name=elsewhere&timeout=500', '--tags', '@control:transport.tls1.3', '--out', other, '--signing-key', join(work, 'signing.pem'), '--operator', 'Mallory']);
  assert.equal(run.code, 1, run.stderr);
  const replayed = await verify(await tampered(async (copy) => {
    await rm(copy, { recursive: true });
    await cp(other, copy, { recursive: true });
  }));
  assert.equal(replayed.code, 0, 'it is a genuine signed run: only its identity tells it apart');
  const started = JSON.parse(await readFile(join(other, 'manifest.json'), 'utf8')).predicate.startedAt;
  assert.match(replayed.stdout, new RegExp(`^run: started ${started}, finished \\S+, by Mallory on \\S+, dbcomply \\S+ \\([0-9a-f]{12}\\), profile baseline, 1 target \\(elsewhere\\)$`, 'm'));
  const original = await verify(out);
  assert.match(original.stdout, /^run: started \S+, finished \S+, by Jane Auditor on .*, 1 target \(closed\)$/m);
  const hashesOnly = await runCli(['verify', out, '--hashes-only']);
  assert.equal(hashesOnly.code, 0, hashesOnly.stdout);
  assert.match(hashesOnly.stdout, /^run as its UNAUTHENTICATED manifest says: started \S+, .*, 1 target \(closed\)$/m);
  assert.doesNotMatch(hashesOnly.stdout, /^run:/m);
  assert.doesNotMatch(original.stdout, new RegExp(started));
});

test('without --key nothing reads as signed; a private key given as --key is used by its public half, with a note', async () => {
  const forged = await editedEnvelope((envelope) => (envelope.signatures[0].keyid = 'c1'.repeat(32)));
  const noKey = await runCli(['verify', forged]);
  assert.equal(noKey.code, 1, noKey.stdout);
  assert.doesNotMatch(noKey.stdout, /^(verified|run):|signed by|signature verifies/m);
  assert.match(noKey.stdout, /keyid claims key c1c1c1c1c1c1c1c1; neither is checked without --key/);
  const privateAsPublic = await runCli(['verify', out, '--key', join(work, 'signing.pem')]);
  assert.equal(privateAsPublic.code, 0, privateAsPublic.stdout);
  assert.match(privateAsPublic.stdout, /^note: \S+signing\.pem holds a PRIVATE key; its public half was used/m);
  const otherAlgorithm = join(work, 'p256.pub');
  await writeFile(otherAlgorithm, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const wrongAlgorithm = await runCli(['verify', out, '--key', otherAlgorithm]);
  assert.equal(wrongAlgorithm.code, 1);
  assert.match(wrongAlgorithm.stdout, /^INVALID\s+manifest\.dsse\.json\s+no signature verifies with key/m);
});

test('merge refuses a signed shard carrying a symbolic link instead of copying the link into a freshly signed output', async () => {
  const closed = ['a', 'b', 'c'].flatMap((name) => ['--target', `mysql://app:pw@127.0.0.1:1/app?name=closed-${name}&timeout=500`]);
  const shards = [1, 2].map((index) => join(work, `shard-${index}`));
  for (const [index, dir] of shards.entries()) {
    const run = await runCli(['run', ...closed, '--tags', '@control:transport.tls1.3', '--shard', `${index + 1}/2`, '--out', dir, '--signing-key', join(work, 'signing.pem')]);
    assert.equal(run.code, 1, run.stderr);
  }
  const results = JSON.parse(await readFile(join(shards[0], 'results.json'), 'utf8')) as { targets: Array<{ name: string }> };
  const target = results.targets[0].name;
  await writeFile(join(work, 'planted.html'), '<p>all controls passed</p>');
  await symlink(join(work, 'planted.html'), join(shards[0], target, 'index.html'));
  const merged = await runCli(['merge', ...shards, '--out', join(work, 'merged'), '--key', join(work, 'signing.pub'), '--signing-key', join(work, 'signing.pem')]);
  assert.equal(merged.code, 2, merged.stdout + merged.stderr);
  assert.match(merged.stderr, new RegExp(`refused: \\S+shard-1 does not verify against its manifest \\(unlisted ${target}/index\\.html\\)`));
  await unlink(join(shards[0], target, 'index.html'));
  const clean = await runCli(['merge', ...shards, '--out', join(work, 'merged-clean'), '--key', join(work, 'signing.pub'), '--signing-key', join(work, 'signing.pem')]);
  assert.equal(clean.code, 1, clean.stderr);
  const verified = await verify(join(work, 'merged-clean'));
  assert.equal(verified.code, 0, verified.stdout);
  assert.match(verified.stdout, /^run: .*, 3 targets \(closed-a, closed-b, closed-c\), merged from 2 shards checked by signature$/m);

  // The merged run as next night's --compare baseline: checked with the shards' key, refused once edited.
  const again = await runCli(['merge', ...shards, '--out', join(work, 'merged-again'), '--key', join(work, 'signing.pub'), '--compare', join(work, 'merged-clean')]);
  assert.equal(again.code, 1, again.stderr);
  assert.match(again.stdout, /^dbcomply: --compare baseline \S+merged-clean: verified, its signature with key [0-9a-f]{16}$/m);
  const edited = await tampered(async (copy) => {
    await rm(copy, { recursive: true });
    await cp(join(work, 'merged-clean'), copy, { recursive: true });
    await writeFile(join(copy, 'results.json'), (await readFile(join(copy, 'results.json'), 'utf8')).replaceAll('"undecided"', '"failed"'));
  });
  const laundered = await runCli(['merge', ...shards, '--out', join(work, 'merged-laundered'), '--key', join(work, 'signing.pub'), '--compare', edited, '--fail-on', 'new']);
  assert.equal(laundered.code, 2, laundered.stdout + laundered.stderr);
  assert.match(laundered.stderr, /--compare: \S+ does not verify against its manifest \(changed results\.json\)/);
});

test('merge refuses a genuine signed shard kept from an earlier run when the shards carry a --run-id', async () => {
  const closed = ['a', 'b', 'c'].flatMap((name) => ['--target', `mysql://app:pw@127.0.0.1:1/app?name=closed-${name}&timeout=500`]);
  const shard = async (index: number, runId: string) => {
    const dir = join(work, `shard-${index}-of-${runId}`);
    const run = await runCli(['run', ...closed, '--tags', '@control:transport.tls1.3', '--shard', `${index}/2`, '--run-id', runId, '--out', dir, '--signing-key', join(work, 'signing.pem')]);
    assert.equal(run.code, 1, run.stderr);
    return dir;
  };
  const lastNight = await shard(2, 'night-0');
  const tonight = [await shard(1, 'night-1'), await shard(2, 'night-1')];
  const stale = await runCli(['merge', tonight[0], lastNight, '--out', join(work, 'merged-stale'), '--key', join(work, 'signing.pub')]);
  assert.equal(stale.code, 2, stale.stdout + stale.stderr);
  assert.match(stale.stderr, /refused: \S+shard-2-of-night-0: configuration fingerprint \S+ differs from .* \(other targets, tags, profile, flags or --run-id\)/);
  const same = await runCli(['merge', ...tonight, '--out', join(work, 'merged-same-run'), '--key', join(work, 'signing.pub')]);
  assert.equal(same.code, 1, same.stderr);
});

test('a --key inside the directory being verified is refused: the attacker who re-signed the run could have put it there', async () => {
  const attacker = generateKeyPairSync('ed25519');
  const dir = await tampered(async (copy) => {
    await writeFile(join(copy, 'results.csv'), 'target,verdict\nclosed,passed\n');
    await writeFile(join(copy, 'signing.pub'), attacker.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    // The attacker's own re-signing, as dbcomply would write it: every file, the planted key among them, listed and signed.
    await writeManifest(copy, JSON.parse(await readFile(join(copy, 'results.json'), 'utf8')), { signingKey: attacker.privateKey, operator: 'Jane Auditor' });
  });
  assert.equal((await runCli(['verify', dir, '--key', join(work, 'signing.pub')])).code, 1, 'the key the auditor holds refuses it');
  const run = await runCli(['verify', dir, '--key', join(dir, 'signing.pub')]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /--key: \S+signing\.pub lies inside \S+: whoever could change the directory could have replaced the key/);
});

test('merge refuses a --key that lies inside one of the shards, and a --compare-key inside the previous run', async () => {
  const inShard = await runCli(['merge', join(work, 'shard-1'), join(work, 'shard-2'), '--out', join(work, 'merged-key-inside'), '--key', join(work, 'shard-1', 'results.json')]);
  assert.equal(inShard.code, 2, inShard.stdout + inShard.stderr);
  assert.match(inShard.stderr, /--key: \S+ lies inside \S+shard-1:/);
  const previousKey = await runCli(['run', '--target', 'mysql://app:pw@127.0.0.1:1/app?name=closed&timeout=500', '--tags', '@control:transport.tls1.3', '--out', join(work, 'compare-key-inside'), '--compare', out, '--compare-key', join(out, 'results.json')]);
  assert.equal(previousKey.code, 2, previousKey.stdout + previousKey.stderr);
  assert.match(previousKey.stderr, /--compare-key: \S+results\.json lies inside /);
});
