import { fetchPostgresBuild } from './fetch-postgres-build.js';
import { pinnedPostgresBuilds, postgresCacheRoot } from './postgres-versions.js';

/**
 * scripts/fetch-postgres-versions.sh: unpacks the PostgreSQL builds pinned in lab-versions.json into
 * the cache (DBCOMPLY_POSTGRES_CACHE, default ~/.cache/dbcomply/postgres/<major>). Idempotent: a
 * build already in the cache is only checked. Arguments: the majors to fetch (default: all pinned).
 */
async function main(argv: string[]): Promise<number> {
  const pinned = pinnedPostgresBuilds();
  const requested = argv.length > 0 ? argv.map(Number) : Object.keys(pinned).map(Number);
  const unknown = requested.filter((major) => pinned[major] === undefined);
  if (unknown.length > 0) {
    process.stderr.write(`fetch-postgres-versions: no pinned build for ${unknown.join(', ')}; lab-versions.json pins ${Object.keys(pinned).join(', ')}\n`);
    return 2;
  }
  const cacheRoot = postgresCacheRoot();
  const started = performance.now();
  for (const major of requested) {
    const outcome = await fetchPostgresBuild(major, pinned[major], cacheRoot);
    const what = outcome.action === 'installed' ? 'installed' : 'already in the cache';
    process.stdout.write(`PostgreSQL ${major}: ${outcome.build.package}@${outcome.build.version} ${what} (${outcome.reportedVersion}) at ${outcome.binDirectory} in ${outcome.elapsedMs} ms\n`);
  }
  process.stdout.write(`fetch-postgres-versions: ${requested.length} builds ready in ${cacheRoot} (${Math.round(performance.now() - started)} ms)\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fetch-postgres-versions: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
