import { databaseRights } from './postgres-database-rights.js';
import { readDefinerRoutines } from './postgres-definer-routines.js';
import { superuserPathsInThisDatabase } from './postgres-superuser-paths.js';
import { readSchemaPublic } from './schema-public-read.js';
import type { TargetContext } from '../target-context.js';
import { readEveryOtherDatabase, type OtherDatabaseReads } from '../catalog/other-databases.js';

export type OtherDatabaseCatalog = OtherDatabaseReads<{
  rights: Awaited<ReturnType<typeof databaseRights>>;
  schemaPublic: Awaited<ReturnType<typeof readSchemaPublic>>;
  definerRoutines: Awaited<ReturnType<typeof readDefinerRoutines>>;
}> & {
  /**
   * access.app-not-superuser's part, read in the same session after the others' (its own deadline,
   * its own failure): the application's superuser paths where it may connect (undefined where it
   * may not). Absent when the target declares no application account.
   */
  application?: OtherDatabaseReads<Awaited<ReturnType<typeof superuserPathsInThisDatabase>>>;
};

/**
 * What the checks read in each of the target's other databases (access.least-privilege's rights
 * and SECURITY DEFINER routines, access.public-schema's schema public, access.app-not-superuser's
 * paths of the application), in one session per database, once per run: a login per database
 * instead of one per check and database. A database where the first read fails is unreadable for
 * least-privilege and public-schema, which leaves them undecided rather than passed; the
 * application's part is a second read of its own in the same session, so that its failure (or
 * its time) leaves only app-not-superuser undecided there, and a target without an application
 * account does not wait for it.
 */
export function readOtherDatabaseCatalog(context: TargetContext): Promise<OtherDatabaseCatalog> {
  return context.once('other-database-catalog', async () => {
    const { engine, user: application, host } = context.target;
    const { followUp, ...shared } = await readEveryOtherDatabase(
      context,
      'the grants and the privileges on schema public',
      async (session) => ({
        rights: await databaseRights(session),
        schemaPublic: await readSchemaPublic(session),
        definerRoutines: await readDefinerRoutines(session),
      }),
      engine === 'postgres' && application
        ? {
            what: "the application account's privileges",
            // Where the first read failed, the routines are read here: the application's part does not depend on the others'.
            read: async (session, first) => superuserPathsInThisDatabase(session, application, host, first?.definerRoutines ?? (await readDefinerRoutines(session))),
          }
        : undefined,
    );
    return { ...shared, ...(followUp ? { application: followUp } : {}) };
  });
}
