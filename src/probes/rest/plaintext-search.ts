import { open, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface PlaintextSearch {
  /** Files searched, relative to the directory. */
  searched: string[];
  /** Those holding the text as plain bytes. */
  holding: string[];
}

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Host-side evidence for encryption at rest: which files under `directory` (data files, redo log,
 * binary log, temporary files) hold `text` as plain bytes. Read in chunks that overlap by the
 * text's length, so a large file is never read whole and a match across a chunk edge is found.
 * `skip` leaves out files that are not data at rest (the server's own text logs).
 */
export async function filesHoldingPlaintext(directory: string, text: string, skip: (name: string) => boolean = () => false): Promise<PlaintextSearch> {
  const needle = Buffer.from(text);
  const searched: string[] = [];
  const holding: string[] = [];
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || skip(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    searched.push(relative(directory, path));
    if (await fileHolds(path, needle)) holding.push(relative(directory, path));
  }
  return { searched: searched.sort(), holding: holding.sort() };
}

async function fileHolds(path: string, needle: Buffer): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES + needle.length);
    let carried = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, carried, CHUNK_BYTES);
      const filled = carried + bytesRead;
      if (buffer.subarray(0, filled).includes(needle)) return true;
      if (bytesRead === 0) return false;
      carried = Math.min(needle.length - 1, filled);
      buffer.copy(buffer, 0, filled - carried, filled);
    }
  } finally {
    await handle.close();
  }
}
