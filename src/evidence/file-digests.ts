import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Relative paths with forward slashes, so a manifest written on one system verifies on another. */
export function portablePath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const digestsOfOwnOutputs = new Map<string, string>();

/**
 * For the files this process has just written and hashes twice (the OSCAL document's evidence
 * links, then the manifest): the second time costs a stat. Keyed by path, inode, size and mtime,
 * so a file changed in between is hashed again. Never used to verify.
 */
export async function sha256OfOwnOutput(path: string): Promise<string> {
  const { ino, size, mtimeMs } = await stat(path);
  const key = `${path}\0${ino}\0${size}\0${mtimeMs}`;
  let digest = digestsOfOwnOutputs.get(key);
  if (!digest) {
    digest = await sha256OfFile(path);
    digestsOfOwnOutputs.set(key, digest);
  }
  return digest;
}

/** Every regular file under `root`, sorted, skipping the ones named in `exclude` (relative paths). */
export async function filesUnder(root: string, exclude: ReadonlySet<string> = new Set()): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => portablePath(root, join(entry.parentPath ?? entry.path, entry.name)))
    // Half-written files of an atomic write in progress are not outputs (verify, which walks with entriesUnder, still reports them).
    .filter((file) => !exclude.has(file) && !file.endsWith('.partial'))
    .sort();
}

/** Hashes many files a few at a time: all at once would run out of file descriptors on a large fleet. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const HASHING_CONCURRENCY = 8;
