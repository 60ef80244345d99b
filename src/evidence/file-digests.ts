import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
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

/** Every regular file under `root`, sorted, skipping the ones named in `exclude` (relative paths). */
export async function filesUnder(root: string, exclude: ReadonlySet<string> = new Set(), options: { includePartial?: boolean } = {}): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => portablePath(root, join(entry.parentPath ?? entry.path, entry.name)))
    // Half-written files of an atomic write in progress are not outputs (a verifier still lists them).
    .filter((file) => !exclude.has(file) && (options.includePartial || !file.endsWith('.partial')))
    .sort();
}
