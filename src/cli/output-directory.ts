import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../targets/config-error.js';

/**
 * Creates the output directory one level at a time, before any server starts, so a bad --out is
 * a usage error naming the flag (Node's recursive mkdir can loop for ever on /proc). An existing
 * directory must be empty: the run's manifest vouches for every file in it, and a file left by
 * another run would be vouched for as this run's.
 */
export async function prepareOutputDirectory(path: string): Promise<string> {
  const absolute = resolve(path);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    const found = await stat(existing).catch(() => undefined);
    if (found) {
      if (!found.isDirectory()) throw new ConfigError('--out', `${existing} exists and is not a directory`);
      if (existing === absolute && (await readdir(absolute)).length > 0) {
        throw new ConfigError('--out', `${absolute} is not empty: a run's manifest vouches for every file in its directory, so give each run a new or empty one`);
      }
      break;
    }
    missing.unshift(existing);
    if (dirname(existing) === existing) break;
    existing = dirname(existing);
  }
  for (const directory of missing) {
    await mkdir(directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new ConfigError('--out', `cannot create ${directory} (${error.code ?? error.message})`);
    });
  }
  return absolute;
}
