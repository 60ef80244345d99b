import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultsDocument } from './results-document.js';
import { shardOfName } from '../runner/shard.js';

/** A shard that cannot join the others: merging it would make a matrix of two different fleets or tools. */
export class ShardMismatch extends Error {}

export interface ShardRun {
  dir: string;
  document: ResultsDocument;
}

/**
 * The shard's results.json; with `expectedSha256` (its digest in the verified manifest), the very
 * bytes parsed are held to it, so a file swapped after verification is never merged.
 */
export async function readShard(dir: string, expectedSha256?: string): Promise<ShardRun> {
  const bytes = await readFile(join(dir, 'results.json')).catch(() => undefined);
  if (bytes === undefined) throw new ShardMismatch(`${dir}: no results.json`);
  if (expectedSha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== expectedSha256) {
    throw new ShardMismatch(`${dir}: results.json changed after the shard was verified`);
  }
  try {
    return { dir, document: JSON.parse(bytes.toString('utf8')) as ResultsDocument };
  } catch {
    throw new ShardMismatch(`${dir}: results.json is not JSON`);
  }
}

/**
 * One results document from the shards of one run: the same tool version, configuration
 * fingerprint and shard count, every shard index exactly once, every planned target assessed by
 * exactly the shard its name hashes to. Targets keep the fleet's order; the run is complete
 * only when every shard was.
 */
export function mergeShardResults(shards: ShardRun[]): ResultsDocument {
  if (shards.length === 0) throw new ShardMismatch('no shard given');
  const [first] = shards;
  for (const { dir, document } of shards) {
    if (!document.shard) throw new ShardMismatch(`${dir}: not a shard (the run had no --shard I/N)`);
    if (document.tool?.version !== first.document.tool?.version) throw new ShardMismatch(`${dir}: dbcomply ${document.tool?.version}, but ${first.dir} is ${first.document.tool?.version}`);
    if (!document.configFingerprint || document.configFingerprint !== first.document.configFingerprint) {
      throw new ShardMismatch(`${dir}: configuration fingerprint ${document.configFingerprint?.slice(0, 12) ?? 'missing'} differs from ${first.dir}'s ${first.document.configFingerprint?.slice(0, 12) ?? 'missing'} (other targets, tags, profile, flags or --run-id)`);
    }
    if (document.shard.count !== first.document.shard!.count) throw new ShardMismatch(`${dir}: shard ${document.shard.index}/${document.shard.count}, but ${first.dir} is of ${first.document.shard!.count}`);
    if (JSON.stringify([...document.shard.plannedTargets].sort()) !== JSON.stringify([...first.document.shard!.plannedTargets].sort())) throw new ShardMismatch(`${dir}: planned another list of targets than ${first.dir}`);
  }
  const count = first.document.shard!.count;
  const byIndex = new Map<number, string>();
  for (const { dir, document } of shards) {
    const other = byIndex.get(document.shard!.index);
    if (other) throw new ShardMismatch(`shard ${document.shard!.index}/${count} given twice: ${other} and ${dir}`);
    byIndex.set(document.shard!.index, dir);
  }
  const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) throw new ShardMismatch(`shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')} missing: the merged run would silently lack their targets`);
  const assessed = new Map<string, { dir: string; target: ResultsDocument['targets'][number] }>();
  for (const { dir, document } of shards) {
    for (const target of document.targets) {
      if (assessed.has(target.name)) throw new ShardMismatch(`target ${target.name} appears in ${assessed.get(target.name)!.dir} and ${dir}`);
      if (shardOfName(target.name, count) !== document.shard!.index) throw new ShardMismatch(`${dir}: target ${target.name} belongs to shard ${shardOfName(target.name, count)}/${count}, not ${document.shard!.index}`);
      assessed.set(target.name, { dir, target });
    }
  }
  const planned = first.document.shard!.plannedTargets;
  const unplanned = [...assessed.keys()].filter((name) => !planned.includes(name));
  if (unplanned.length > 0) throw new ShardMismatch(`targets not in the planned fleet: ${unplanned.join(', ')}`);
  const documents = shards.map((shard) => shard.document);
  // A target an interrupted shard never reached is absent; the run is then incomplete, as the shard said.
  const targets = planned.filter((name) => assessed.has(name)).map((name) => assessed.get(name)!.target);
  return {
    tool: first.document.tool,
    startedAt: documents.map((document) => document.startedAt).sort()[0],
    finishedAt: documents.map((document) => document.finishedAt).sort().at(-1)!,
    complete: documents.every((document) => document.complete) && targets.length === planned.length,
    configFingerprint: first.document.configFingerprint,
    mergedFrom: [...shards].sort((a, b) => a.document.shard!.index - b.document.shard!.index).map((shard) => shard.dir),
    targets,
  };
}

/** Which shard directory holds each target's reports, to copy them beside the merged overview. */
export function targetDirectories(shards: ShardRun[]): Array<{ name: string; dir: string }> {
  return shards.flatMap((shard) => shard.document.targets.map((target) => ({ name: target.name, dir: shard.dir })));
}
