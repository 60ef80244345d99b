import { defineCheck } from '../check.js';
import { failed, passed } from '../../controls/judgement.js';
import { workloadAccounts } from '../../targets/declared-accounts.js';
import { exemptPlatformRoles, runsAzurePlatformRoles } from '../catalog/platform-roles.js';

/** OID of the role initdb creates; it owns the catalogs and cannot be dropped or left to expire. */
const BOOTSTRAP_SUPERUSER_OID = 10;

export interface TimeBoundEvidence {
  readAs: string;
  /** Whether the server keeps Azure's own superuser, so that its platform roles are Azure's; absent in evidence from before. */
  azurePlatform?: boolean;
  loginRoles: Array<{ role: string; oid: number; validUntil: string | null; neverExpires: boolean }>;
}

/** access.time-bound (PostgreSQL): every login role of a person carries an expiry (VALID UNTIL). */
export const timeBound = defineCheck<TimeBoundEvidence>({
  id: 'access.time-bound',
  evidenceTitle: 'login roles and expiry',
  async read(context) {
    const { readAs, result } = await context.catalog.read('the login roles and their expiry', (session) =>
      session.query<{ rolname: string; oid: number; valid_until: string | null; never_expires: boolean }>(
        `SELECT rolname, oid::int AS oid, rolvaliduntil::text AS valid_until, (rolvaliduntil IS NULL OR rolvaliduntil = 'infinity') AS never_expires
           FROM pg_roles WHERE rolcanlogin AND rolname !~ '^pg_' ORDER BY rolname`,
      ),
    );
    const { result: azurePlatform } = await context.catalog.read('whether the server is an Azure one', runsAzurePlatformRoles);
    return { readAs, azurePlatform, loginRoles: result.map((row) => ({ role: row.rolname, oid: row.oid, validUntil: row.valid_until, neverExpires: row.never_expires })) };
  },
  judge({ readAs, loginRoles, azurePlatform }, target) {
    const workloads = new Set(workloadAccounts(target));
    const platform = exemptPlatformRoles(azurePlatform);
    const exemptions = loginRoles.flatMap((role) => {
      if (role.oid === BOOTSTRAP_SUPERUSER_OID) return [`${role.role} (bootstrap superuser)`];
      if (platform.has(role.role)) return [`${role.role} (Azure platform role)`];
      if (workloads.has(role.role)) return [`${role.role} (declared workload)`];
      return [];
    });
    const people = loginRoles.filter((role) => role.oid !== BOOTSTRAP_SUPERUSER_OID && !platform.has(role.role) && !workloads.has(role.role));
    const standing = people.filter((role) => role.neverExpires).map((role) => role.role);
    const exempt = exemptions.length > 0 ? `; exempt: ${exemptions.join(', ')}` : '';
    if (standing.length > 0) return failed(`login roles of people without an expiry (standing access): ${standing.join(', ')}`);
    if (people.length === 0) return passed(`no login role of a person exists, so none can hold standing access (${loginRoles.length} login roles read${exempt}; ${readAs})`);
    return passed(`all ${people.length} login roles of people carry an expiry (${people.map((role) => `${role.role} until ${role.validUntil}`).join(', ')}${exempt}; ${readAs})`);
  },
});
