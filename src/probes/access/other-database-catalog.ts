import { databaseRights } from './postgres-database-rights.js';
import { readDefinerRoutines } from './postgres-definer-routines.js';
import { readSchemaPublic } from './schema-public-read.js';
import type { TargetContext } from '../target-context.js';
import { readEveryOtherDatabase, type OtherDatabaseReads } from '../catalog/other-databases.js';

export type OtherDatabaseCatalog = OtherDatabaseReads<{
  rights: Awaited<ReturnType<typeof databaseRights>>;
  schemaPublic: Awaited<ReturnType<typeof readSchemaPublic>>;
  definerRoutines: Awaited<ReturnType<typeof readDefinerRoutines>>;
}>;

/**
 * What the checks read in each of the target's other databases (access.least-privilege's rights
 * and SECURITY DEFINER routines, access.public-schema's schema public), in one session per database, once per run: a login per
 * database instead of one per check and database. A database where either read fails is unreadable
 * for both, which leaves them undecided rather than passed.
 */
export function readOtherDatabaseCatalog(context: TargetContext): Promise<OtherDatabaseCatalog> {
  return context.once('other-database-catalog', () =>
    readEveryOtherDatabase(context, 'the grants and the privileges on schema public', async (session) => ({
      rights: await databaseRights(session),
      schemaPublic: await readSchemaPublic(session),
      definerRoutines: await readDefinerRoutines(session),
    })),
  );
}
