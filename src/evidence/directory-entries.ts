import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { portablePath } from './file-digests.js';

export type EntryKind = 'file' | 'directory' | 'symbolic link' | 'special file';

export interface DirectoryEntry {
  /** Relative, with forward slashes, as a manifest names files. */
  path: string;
  kind: EntryKind;
}

/**
 * Everything under `root`, symbolic links not followed, sorted: what verify holds against a
 * manifest, which lists regular files only. Links, FIFOs and the like are entries too, since a run
 * writes none and an auditor who opens one reads whatever it leads to.
 */
export async function entriesUnder(root: string): Promise<DirectoryEntry[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .map((entry) => ({
      path: portablePath(root, join(entry.parentPath ?? entry.path, entry.name)),
      kind: (entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : entry.isSymbolicLink() ? 'symbolic link' : 'special file') as EntryKind,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
