import { cp } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ConfigError } from '../targets/config-error.js';
import { keyIdOf, loadVerificationKey } from '../evidence/signing-key.js';
import { verifyRun } from '../evidence/verify-run.js';
import { mergeShardResults, readShard, ShardMismatch, targetDirectories } from '../report/merge-shards.js';
import type { ResultsDocument } from '../report/results-document.js';
import { prepareOutputDirectory } from './output-directory.js';
import { requireKeyOutside } from './key-outside.js';
import type { RunStatement, ShardAuthenticity, ShardHarnessClock } from '../evidence/manifest.js';
import { sha256OfFile } from '../evidence/file-digests.js';
import { entriesUnder } from '../evidence/directory-entries.js';

/** The clock that measured a shard's targets is its harness's, not the merging machine's: kept from its verified manifest. */
function shardHarnessClock(dir: string, statement: RunStatement): ShardHarnessClock {
  const predicate = statement.predicate as Partial<RunStatement['predicate']> | undefined;
  const clock = predicate?.harnessClockOffset ?? { offsetMs: 'unknown' as const, reason: 'the shard manifest records no harness clock offset (written by an older dbcomply)', readAt: '' };
  return { shard: dir, ...(predicate?.host ? { host: predicate.host } : {}), harnessClockOffset: clock };
}

/**
 * Every file copied from a shard, held to the digest its verified manifest gives: the shard was
 * checked before it was read and copied, and whoever can write its directory could swap a file in
 * between. A copied file the manifest does not list is refused too, and so is a symbolic link or
 * special file, which the copy would carry into the merged output as it is.
 */
export async function checkCopiedReports(outDir: string, name: string, shardDir: string, digests: ReadonlyMap<string, string>): Promise<void> {
  for (const { path: file, kind } of await entriesUnder(join(outDir, name))) {
    if (kind === 'directory') continue;
    const listed = `${name}/${file}`;
    if (kind !== 'file') throw new ShardMismatch(`${shardDir}: ${listed} is a ${kind}, not a file the run wrote`);
    const expected = digests.get(listed);
    if (expected === undefined) throw new ShardMismatch(`${shardDir}: ${listed} is not in its manifest`);
    if ((await sha256OfFile(join(outDir, name, file))) !== expected) throw new ShardMismatch(`${shardDir}: ${listed} changed after the shard was verified`);
  }
}

export interface MergeFlags {
  out: string;
  key?: string;
  /** Whether the merged manifest will be signed: a signature must not vouch for shards nobody authenticated. */
  signingKey?: string;
  /** Accept the shards on their hashes alone: whoever could change a shard could have rewritten its manifest too. */
  hashesOnly?: boolean;
}

/** How a shard was checked before it was merged, as the merged manifest records it. */
function shardAuthenticity(dir: string, key: KeyObject | undefined, signed: boolean): ShardAuthenticity {
  if (key) return { shard: dir, checked: 'signature', detail: `every file's hash and the signature with key ${keyIdOf(key).slice(0, 16)}` };
  return { shard: dir, checked: 'hashes-only', detail: signed ? 'every file\'s hash; the shard is signed but its signature was not checked (--hashes-only)' : 'every file\'s hash; the shard is unsigned (--hashes-only)' };
}

/**
 * Checks every shard against its own manifest first, so a merged report never launders an edited
 * shard; then merges the results and copies each target's reports. As `verify`, it fails closed:
 * the shards' signatures are checked with --key, and only --hashes-only accepts them on their
 * hashes alone. Otherwise a merged, freshly signed manifest would vouch for shards nobody checked.
 */
export async function mergeShards(dirs: string[], flags: MergeFlags): Promise<{ outDir: string; document: ResultsDocument; shardClocks: ShardHarnessClock[]; authenticity: ShardAuthenticity[] }> {
  if (flags.key && flags.hashesOnly) throw new ConfigError('--hashes-only', 'cannot be combined with --key: with a key every shard\'s signature is checked');
  if (flags.hashesOnly && flags.signingKey) {
    throw new ConfigError('--hashes-only', "cannot be combined with --signing-key: the merged manifest's signature would vouch for shards whose authenticity was not checked; sign the shards and merge with --key");
  }
  if (!flags.key && !flags.hashesOnly) {
    throw new ConfigError('merge', "give --key PUBLIC_KEY to check every shard's signature, or --hashes-only to accept the shards on their hashes alone (authenticity not checked)");
  }
  await requireKeyOutside('--key', flags.key, dirs);
  const key: KeyObject | undefined = flags.key ? await loadVerificationKey(flags.key) : undefined;
  const outDir = resolve(flags.out);
  if (dirs.some((dir) => resolve(dir) === outDir)) throw new ConfigError('--out', 'must not be one of the shard directories');
  const authenticity: ShardAuthenticity[] = [];
  const statements = new Map<string, RunStatement>();
  for (const dir of dirs) {
    const { lines, verified, signed, statement } = await verifyRun(dir, key);
    if (!verified) {
      const problems = lines.filter((line) => !['ok', 'not-checked'].includes(line.status)).map((line) => `${line.status} ${line.subject}`);
      throw new ShardMismatch(`${dir} does not verify against its manifest (${problems.join('; ')})`);
    }
    authenticity.push(shardAuthenticity(dir, key, signed));
    statements.set(dir, statement!);
  }
  const digestsOf = (dir: string) => new Map(statements.get(dir)!.subject.map(({ name, digest }) => [name, digest.sha256]));
  const shards = await Promise.all(dirs.map((dir) => readShard(dir, digestsOf(dir).get('results.json') ?? '')));
  const document = mergeShardResults(shards);
  await prepareOutputDirectory(outDir);
  for (const { name, dir } of targetDirectories(shards)) {
    await cp(join(dir, name), join(outDir, name), { recursive: true });
    await checkCopiedReports(outDir, name, dir, digestsOf(dir));
  }
  return { outDir, document, shardClocks: dirs.map((dir) => shardHarnessClock(dir, statements.get(dir)!)), authenticity };
}
