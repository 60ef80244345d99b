import { readdirSync, statSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { makeTemporaryDirectory } from './cleanup-registry.js';
import { findExecutable } from './executables.js';
import { installedPostgresBinDirectory, pinnedPostgresBuilds, postgresCacheRoot } from './postgres-versions.js';
import { runCommand } from './run-command.js';

const COPY_TIMEOUT_MS = 120_000;

/** A PostgreSQL installation the lab can run. */
export interface PostgresBinaries {
  binDirectory: string;
  /** The major asked for; the template checks it against the PG_VERSION initdb writes. */
  requestedMajor?: number;
  /** Where it came from, for error messages. */
  origin: 'system' | 'version cache';
}

/**
 * The installation for `requestedMajor`: a build pinned in lab-versions.json comes from the version
 * cache (scripts/fetch-postgres-versions.sh); any other major, or none, is the machine's own
 * PostgreSQL (Debian's 15).
 */
export function locatePostgresBinaries(requestedMajor?: number): PostgresBinaries {
  const pinned = requestedMajor === undefined ? undefined : pinnedPostgresBuilds()[requestedMajor];
  if (requestedMajor !== undefined && pinned !== undefined) {
    const binDirectory = installedPostgresBinDirectory(requestedMajor);
    if (binDirectory === undefined) {
      throw new Error(
        `PostgreSQL ${requestedMajor} (${pinned.package}@${pinned.version}) is not in the version cache ${postgresCacheRoot()}; ` +
          `run scripts/fetch-postgres-versions.sh ${requestedMajor} (DBCOMPLY_POSTGRES_CACHE moves the cache)`,
      );
    }
    return { binDirectory, requestedMajor, origin: 'version cache' };
  }
  return { binDirectory: systemPostgresBinDirectory(), requestedMajor, origin: 'system' };
}

/**
 * PostgreSQL refuses to run as root, so as root the lab runs it as an unprivileged user, who must be
 * able to reach the binaries. The version cache under /root (mode 0700) is out of its reach: then the
 * installation (bin, lib, share: about 60 MB) is copied once per process into the lab's temp root.
 */
export async function reachableBy(binaries: PostgresBinaries, runAs: { uid: number } | undefined): Promise<PostgresBinaries> {
  if (runAs === undefined || everyAncestorSearchableByOthers(binaries.binDirectory)) return binaries;
  const installation = dirname(binaries.binDirectory);
  const copy = await makeTemporaryDirectory(`postgres-${binaries.requestedMajor ?? 'system'}-binaries`);
  await chmod(copy, 0o755);
  // `join` would drop the trailing '/.', and cp would copy the folder itself into the copy.
  await runCommand('cp', ['-a', `${installation}/.`, copy], { timeoutMs: COPY_TIMEOUT_MS });
  return { ...binaries, binDirectory: join(copy, 'bin') };
}

function everyAncestorSearchableByOthers(path: string): boolean {
  const { root } = parse(path);
  for (let current = path; ; current = dirname(current)) {
    // eslint-disable-next-line no-bitwise
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (current === root) return true;
  }
}

/** DBCOMPLY_POSTGRES_BINDIR, else `postgres` on PATH, else the newest Debian/Ubuntu cluster version. */
function systemPostgresBinDirectory(): string {
  const configured = process.env.DBCOMPLY_POSTGRES_BINDIR;
  if (configured) return configured;
  const postgres = findExecutable('postgres', [...debianBinDirectories(), '/usr/local/pgsql/bin']);
  if (postgres === undefined) {
    throw new Error(
      'cannot start a local postgres server: no "postgres" executable on PATH or in /usr/lib/postgresql/*/bin; ' +
        'install PostgreSQL or set DBCOMPLY_POSTGRES_BINDIR',
    );
  }
  return join(postgres, '..');
}

function debianBinDirectories(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .filter((version) => /^\d+$/.test(version))
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => `/usr/lib/postgresql/${version}/bin`);
  } catch {
    return [];
  }
}
