import { constants, accessSync, realpathSync, statSync } from 'node:fs';
import { copyFile, chmod } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';

/** Every directory on the way must let others through, and the file must let others run it. */
function othersMayRun(path: string): boolean {
  try {
    const real = realpathSync(path);
    accessSync(real, constants.X_OK);
    if ((statSync(real).mode & 0o001) === 0) return false;
    for (let directory = dirname(real); ; directory = dirname(directory)) {
      if ((statSync(directory).mode & 0o001) === 0) return false;
      if (dirname(directory) === directory) return true;
    }
  } catch {
    return false;
  }
}

/**
 * A node binary the database server's OS user can run (pam_exec runs the token validator as that
 * user, nobody for PostgreSQL). This process's own binary when others may run it; else another
 * node on the PATH they may run (the validator needs nothing newer); else a copy of this one in
 * `directory`, which must itself be open to others.
 */
export async function nodeForAnyUser(directory: string): Promise<string> {
  const candidates = [process.execPath, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((entry) => join(entry, 'node')), '/usr/bin/node', '/usr/local/bin/node'];
  const runnable = candidates.find(othersMayRun);
  if (runnable) return runnable;
  const copy = join(directory, 'node');
  await copyFile(process.execPath, copy);
  await chmod(copy, 0o755);
  return copy;
}
