import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { workloadAccounts } from '../../targets/declared-accounts.js';
import { exemptPlatformRoles, runsAzurePlatformRoles } from '../catalog/platform-roles.js';
import type { TargetContext } from '../target-context.js';
import { coverageOf, describeAnswer, describePath, listSome, mapLoginPaths } from '../auth/login-paths.js';

/** OID of the role initdb creates; it owns the catalogs and cannot be dropped or left to expire. */
const BOOTSTRAP_SUPERUSER_OID = 10;

/**
 * An expiry further out than this is standing access by another name (VALID UNTIL '9999-12-31'
 * passes any "has an expiry" test). A year: the longest an access review cycle usually runs.
 */
export const DEFAULT_MAX_ACCESS_DAYS = 366;

export interface TimeBoundEvidence {
  readAs: string;
  /** Whether the server keeps Azure's own superuser, so that its platform roles are Azure's; absent in evidence from before. */
  azurePlatform?: boolean;
  loginRoles: Array<{
    role: string;
    oid: number;
    validUntil: string | null;
    neverExpires: boolean;
    /** Days from the server's clock (which enforces the expiry) to it; negative once expired; absent in evidence from before. */
    daysLeft?: number | null;
  }>;
  /**
   * What the server asks each login role for on the login-path matrix: VALID UNTIL ends password
   * logins only (SCRAM, MD5, password), so a role let in another way keeps its access after it.
   * Absent in evidence from before; `problem` when the matrix could not show every path.
   */
  loginMethods?: { summary: string; problem?: string; byRole: Record<string, Array<{ path: string; method: string }>> };
}

/**
 * How a path's method stands to the expiry (the method as the matrix describes it, "sasl
 * (SCRAM-SHA-256)"): PostgreSQL compares VALID UNTIL only where it checks a stored password (SCRAM,
 * MD5). A cleartext password is either its own (expiry checked) or LDAP, PAM or RADIUS (not), and
 * the wire does not tell which. Anything else (trust, ident, Kerberos/GSS, SSPI, an OAuth bearer
 * token) lets the role in without the stored password, whatever the expiry says.
 */
function expiryBypass(method: string): 'bound' | 'bypasses' | 'maybe' {
  if (method.startsWith('sasl')) return method.includes('OAUTHBEARER') ? 'bypasses' : 'bound';
  if (method === 'md5') return 'bound';
  // A method this harness does not know may or may not check the stored password.
  if (method === 'cleartext-password' || method === 'other') return 'maybe';
  return 'bypasses';
}

/** access.time-bound (PostgreSQL): every login role of a person carries an expiry (VALID UNTIL). */
export const timeBound = defineCheck<TimeBoundEvidence>({
  id: 'access.time-bound',
  evidenceTitle: 'login roles and expiry',
  async read(context) {
    const { readAs, result } = await context.catalog.read('the login roles and their expiry', (session) =>
      session.query<{ rolname: string; oid: number; valid_until: string | null; never_expires: boolean; days_left: number | null }>(
        `SELECT rolname, oid::int AS oid, rolvaliduntil::text AS valid_until, (rolvaliduntil IS NULL OR rolvaliduntil = 'infinity') AS never_expires,
                CASE WHEN rolvaliduntil IS NULL OR rolvaliduntil = 'infinity' THEN NULL
                     ELSE floor(extract(epoch FROM rolvaliduntil - now()) / 86400)::float8 END AS days_left
           FROM pg_roles WHERE rolcanlogin AND rolname !~ '^pg_' ORDER BY rolname`,
      ),
    );
    const { result: azurePlatform } = await context.catalog.read('whether the server is an Azure one', runsAzurePlatformRoles);
    return {
      readAs,
      azurePlatform,
      loginRoles: result.map((row) => ({ role: row.rolname, oid: row.oid, validUntil: row.valid_until, neverExpires: row.never_expires, daysLeft: row.days_left })),
      loginMethods: await readLoginMethods(context),
    };
  },
  judge({ readAs, loginRoles, azurePlatform, loginMethods }, target) {
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
    const maxDays = target.maxAccessDays ?? DEFAULT_MAX_ACCESS_DAYS;
    // Evidence from before daysLeft was read cannot show how far out an expiry is: not decidable from it.
    const unmeasured = people.filter((role) => role.daysLeft == null).map((role) => role.role);
    if (unmeasured.length > 0) return undecided(`how far out the expiry lies was not read for: ${unmeasured.join(', ')}`);
    const distant = people.filter((role) => role.daysLeft! > maxDays);
    if (distant.length > 0) {
      return failed(`login roles of people whose expiry lies more than ${maxDays} days out, standing access in all but name: ${distant.map((role) => `${role.role} until ${role.validUntil} (${role.daysLeft} days)`).join(', ')}`);
    }
    if (people.length === 0) return passed(`no login role of a person exists, so none can hold standing access (${loginRoles.length} login roles read${exempt}; ${readAs})`);
    const expiries = `all ${people.length} login roles of people carry an expiry at most ${maxDays} days out (${people.map((role) => `${role.role} until ${role.validUntil}`).join(', ')}${exempt}; ${readAs})`;
    // The expiry ends password logins only: a person let in another way keeps standing access.
    if (!loginMethods) return undecided(`${expiries}; but how the server lets them log in was not read, and VALID UNTIL ends password logins only`);
    const pathsOf = (answer: 'bypasses' | 'maybe') =>
      people.flatMap((role) => (loginMethods.byRole[role.role] ?? []).filter(({ method }) => expiryBypass(method) === answer).map(({ path, method }) => `${path}: ${method}`));
    const bypassing = pathsOf('bypasses');
    if (bypassing.length > 0) return failed(`${expiries}; but VALID UNTIL ends password logins only, and these login paths let a person in another way, whatever the expiry: ${listSome(bypassing)}`);
    if (loginMethods.problem) return undecided(`${expiries}; but whether a person may log in without a password, which VALID UNTIL does not end, is unknown: ${loginMethods.problem}`);
    const maybe = pathsOf('maybe');
    if (maybe.length > 0) return undecided(`${expiries}; but whether VALID UNTIL ends these logins cannot be told from the method asked (a cleartext password may be checked by LDAP, PAM or RADIUS, which ignore it): ${listSome(maybe)}`);
    return passed(`${expiries}; VALID UNTIL ends their password logins, and no login path lets them in another way (${loginMethods.summary}; certificate logins and local peer logins cannot be seen over TCP)`);
  },
});

/** The login-path matrix (shared with the authentication controls) reduced to the methods asked per role. */
async function readLoginMethods(context: TargetContext): Promise<NonNullable<TimeBoundEvidence['loginMethods']>> {
  try {
    const matrix = await mapLoginPaths(context);
    const coverage = coverageOf(matrix);
    const byRole: Record<string, Array<{ path: string; method: string }>> = {};
    for (const path of matrix.paths) if (path.answer.kind === 'asked') (byRole[path.role] ??= []).push({ path: describePath(path), method: describeAnswer(path.answer) });
    return { summary: coverage.summary, ...(coverage.complete ? {} : { problem: coverage.problem }), byRole };
  } catch (error) {
    return { summary: 'no login path asked', problem: error instanceof Error ? error.message : String(error), byRole: {} };
  }
}
