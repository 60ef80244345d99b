import { realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { ConfigError } from '../targets/config-error.js';

/** Whether `file` resolves to a path under `dir` (links followed on both sides). */
async function isInside(file: string, dir: string): Promise<boolean> {
  const [realFile, realDir] = await Promise.all([realpath(file).catch(() => undefined), realpath(dir).catch(() => undefined)]);
  if (realFile === undefined || realDir === undefined) return false;
  const path = relative(realDir, realFile);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

/**
 * A public key taken from the directory it is to check proves nothing: whoever could rewrite the
 * directory could have planted their own key there and re-signed everything with it.
 */
export async function requireKeyOutside(flag: string, keyFile: string | undefined, dirs: readonly string[]): Promise<void> {
  if (!keyFile) return;
  for (const dir of dirs) {
    if (await isInside(keyFile, dir)) {
      throw new ConfigError(flag, `${keyFile} lies inside ${dir}: whoever could change the directory could have replaced the key and re-signed everything with it; give the public key you hold`);
    }
  }
}
