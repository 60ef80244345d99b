import { failed, passed } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import { readCatalog } from '../catalog/catalog-session.js';
import { findingOf, type Finding } from '../finding.js';
import { workloadAccounts } from '../../targets/declared-accounts.js';
import { AZURE_POSTGRES_PLATFORM_ROLES } from '../catalog/platform-roles.js';

/** OID of the role initdb creates; it owns the catalogs and cannot be dropped or left to expire. */
const BOOTSTRAP_SUPERUSER_OID = 10;

/** access.time-bound (PostgreSQL): every login role of a person carries an expiry (VALID UNTIL). */
export function checkTimeBound(target: Target): Promise<Finding> {
  return findingOf(async () => {
    const workloads = new Set(workloadAccounts(target));
    const { readAs, result: roles } = await readCatalog(target, 'the login roles and their expiry', (session) =>
      session.query<{ rolname: string; oid: number; valid_until: string | null; never_expires: boolean }>(
        `SELECT rolname, oid::int AS oid, rolvaliduntil::text AS valid_until, (rolvaliduntil IS NULL OR rolvaliduntil = 'infinity') AS never_expires
           FROM pg_roles WHERE rolcanlogin AND rolname !~ '^pg_' ORDER BY rolname`,
      ),
    );
    const people = roles.filter((role) => !workloads.has(role.rolname) && role.oid !== BOOTSTRAP_SUPERUSER_OID && !AZURE_POSTGRES_PLATFORM_ROLES.has(role.rolname));
    const standing = people.filter((role) => role.never_expires).map((role) => role.rolname);
    const evidence = {
      readAs,
      workloadAccounts: [...workloads],
      bootstrapSuperuserExempt: roles.find((role) => role.oid === BOOTSTRAP_SUPERUSER_OID)?.rolname,
      azurePlatformRolesExempt: roles.filter((role) => AZURE_POSTGRES_PLATFORM_ROLES.has(role.rolname)).map((role) => role.rolname),
      people: people.map((role) => ({ role: role.rolname, validUntil: role.valid_until ?? 'never' })),
    };
    return {
      evidence,
      judgement: standing.length > 0
        ? failed(`login roles of people without an expiry (standing access): ${standing.join(', ')}`)
        : passed(`all ${people.length} login roles that are not declared workloads carry an expiry (${readAs})`),
    };
  });
}
