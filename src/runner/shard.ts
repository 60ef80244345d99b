import { createHash } from 'node:crypto';
import { InvalidArgumentError } from 'commander';

/** 1-based, like the matrix indexes of CI systems (Kubernetes' JOB_COMPLETION_INDEX is 0-based: add 1). */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new InvalidArgumentError('expected I/N with 1 <= I <= N, e.g. 2/4');
  return { index, count };
}

/**
 * The shard a target belongs to, from its name alone: the same target lands in the same shard on
 * every run and whatever its position in the config file, so nightly trends compare like with like.
 */
export function shardOfName(name: string, count: number): number {
  return (createHash('sha256').update(name, 'utf8').digest().readUInt32BE(0) % count) + 1;
}

export function inShard<T extends { name: string }>(targets: T[], shard: Shard | undefined): T[] {
  return shard ? targets.filter((target) => shardOfName(target.name, shard.count) === shard.index) : targets;
}
