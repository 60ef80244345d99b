import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Why a path in a run's directory is not the file the run wrote there, or is not there at all. */
export interface NotRegularFile {
  problem: 'missing' | 'not-regular';
  detail?: string;
}

const NOT_FOLLOWING_LINKS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function kindOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'a special file';
}

/**
 * Opens `name` inside `root` as a run writes its outputs: a regular file, not a symbolic link, in
 * directories that are not symbolic links either. A link to an identical copy elsewhere hashes the
 * same, but what the auditor archived would then be whatever the link points to later. The FIFO
 * check comes before any read (O_NONBLOCK), so a FIFO cannot stall verification.
 */
async function openRegularFile(root: string, realRoot: string, name: string): Promise<FileHandle | NotRegularFile> {
  const path = join(root, name);
  let handle: FileHandle;
  try {
    handle = await open(path, NOT_FOLLOWING_LINKS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { problem: 'not-regular', detail: 'a symbolic link, not the file the run wrote' };
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: 'missing' };
    return { problem: 'missing', detail: `unreadable (${code ?? 'invalid name'})` };
  }
  const problem = await problemOf(handle, path, join(realRoot, name)).catch((error: NodeJS.ErrnoException): NotRegularFile => ({ problem: 'missing', detail: `unreadable (${error.code ?? 'error'})` }));
  if (!problem) return handle;
  await handle.close();
  return problem;
}

async function problemOf(handle: FileHandle, path: string, expectedRealPath: string): Promise<NotRegularFile | undefined> {
  const stats = await handle.stat();
  if (!stats.isFile()) return { problem: 'not-regular', detail: `not a regular file (${kindOf(stats)})` };
  if ((await realpath(path)) !== expectedRealPath) return { problem: 'not-regular', detail: 'reached through a symbolic link, not the directory the run wrote' };
  return undefined;
}

export function isNotRegular(value: unknown): value is NotRegularFile {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

/** Reads files inside one run's directory, refusing anything the run would not have written as a plain file. */
export class RunDirectory {
  private realRoot?: Promise<string>;

  constructor(readonly root: string) {}

  private async open(name: string): Promise<FileHandle | NotRegularFile> {
    this.realRoot ??= realpath(this.root);
    return openRegularFile(this.root, await this.realRoot, name);
  }

  async read(name: string): Promise<Buffer | NotRegularFile> {
    const handle = await this.open(name);
    if (isNotRegular(handle)) return handle;
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async sha256(name: string): Promise<string | NotRegularFile> {
    const handle = await this.open(name);
    if (isNotRegular(handle)) return handle;
    const hash = createHash('sha256');
    try {
      for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    } finally {
      await handle.close();
    }
    return hash.digest('hex');
  }
}
