import { failed, passed, undecided } from '../../controls/judgement.js';
import { defineCheck, CannotObserve } from '../check.js';
import { MARIADB_PUBLIC_ROLE, accountName, reachableRoles, readMysqlAccounts, readRoleGrants } from '../catalog/mysql-accounts.js';
import type { SqlSession } from '../../sessions/sql-session.js';

export interface SuperuserEvidence {
  readAs: string;
  application: string;
  /** Each way the application account reaches superuser power. */
  superuserPaths: string[];
  /** PostgreSQL 16+: memberships in superuser roles that allow neither SET ROLE nor inheritance, so confer no power. */
  inertMemberships?: string[];
  accountsSeen: string[];
}

type SuperuserPaths = Pick<SuperuserEvidence, 'superuserPaths' | 'accountsSeen' | 'inertMemberships'>;

/** access.app-not-superuser: the application (login) account holds no superuser power, directly or through a role. */
export const appNotSuperuser = defineCheck<SuperuserEvidence>({
  id: 'access.app-not-superuser',
  evidenceTitle: 'application account privileges',
  async read(context) {
    const { target } = context;
    const application = target.user;
    if (!application) throw new CannotObserve('no application (login) account is declared for this target');
    const { readAs, result } = await context.catalog.read("the application account's privileges", (session) =>
      target.engine === 'postgres' ? postgresSuperuserPaths(session, application) : mysqlSuperuserPaths(session, application),
    );
    return { readAs, application, ...result };
  },
  judge({ readAs, application, superuserPaths, accountsSeen, inertMemberships }) {
    if (superuserPaths.length > 0) return failed(`the application account "${application}" has superuser power: ${superuserPaths.join('; ')}`);
    if (accountsSeen.length === 0) return undecided(`the catalog has no account named "${application}"`);
    const inert = inertMemberships?.length ? `; ${inertMemberships.length} membership in a superuser role allows neither SET ROLE nor inheritance: ${inertMemberships.join('; ')}` : '';
    return passed(`the application account "${application}" (${accountsSeen.join(', ')}) holds no superuser, SUPER or all-privileges grant${inert} (${readAs})`);
  },
});

/** 16 split membership into ADMIN, INHERIT and SET; before it every membership allows SET ROLE. */
const FIRST_VERSION_NUM_WITH_MEMBERSHIP_OPTIONS = 160000;

/**
 * Superuser is an attribute, never inherited: a member gets it by SET ROLE. Before 16 every
 * membership allows that (pg_has_role MEMBER). From 16 a grant may say SET FALSE: then the member
 * reaches the role only if SET is allowed along some chain ('SET'); inheriting the role's
 * privileges ('USAGE', e.g. owner rights over what the superuser owns) fails too. A membership
 * with neither (an ADMIN option alone cannot grant a superuser role) is reported, not failed.
 */
async function postgresSuperuserPaths(session: SqlSession, role: string): Promise<SuperuserPaths> {
  const [{ version }] = await session.query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version");
  const options = version >= FIRST_VERSION_NUM_WITH_MEMBERSHIP_OPTIONS;
  const rows = await session.query<{ rolname: string; rolsuper: boolean; via_set: string[]; via_inherit: string[]; inert: string[] }>(
    options
      ? `SELECT r.rolname, r.rolsuper,
                ARRAY(SELECT s.rolname FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'SET') ORDER BY 1)::text[] AS via_set,
                ARRAY(SELECT s.rolname FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'USAGE') ORDER BY 1)::text[] AS via_inherit,
                ARRAY(SELECT s.rolname FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'MEMBER')
                        AND NOT pg_has_role(r.oid, s.oid, 'SET') AND NOT pg_has_role(r.oid, s.oid, 'USAGE') ORDER BY 1)::text[] AS inert
           FROM pg_roles r WHERE r.rolname = $1`
      : `SELECT r.rolname, r.rolsuper,
                ARRAY(SELECT s.rolname FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'MEMBER') ORDER BY 1)::text[] AS via_set,
                ARRAY[]::text[] AS via_inherit, ARRAY[]::text[] AS inert
           FROM pg_roles r WHERE r.rolname = $1`,
    [role],
  );
  const paths = rows.flatMap((row) => [
    ...(row.rolsuper ? [`role "${row.rolname}" is SUPERUSER`] : []),
    ...row.via_set.map((superuser) => `member of superuser role "${superuser}"${options ? ' that it may SET ROLE to' : ''}`),
    ...row.via_inherit.filter((superuser) => !row.via_set.includes(superuser)).map((superuser) => `inherits the privileges of superuser role "${superuser}"`),
  ]);
  const inert = rows.flatMap((row) => row.inert.map((superuser) => `member of superuser role "${superuser}" without SET or INHERIT: confers no superuser power`));
  return { superuserPaths: paths, accountsSeen: rows.map((row) => row.rolname), ...(options ? { inertMemberships: inert } : {}) };
}

async function mysqlSuperuserPaths(session: SqlSession, user: string): Promise<SuperuserPaths> {
  const accounts = await readMysqlAccounts(session);
  const mine = accounts.filter((account) => account.user === user && !account.isRole);
  const grants = await readRoleGrants(session);
  const paths: string[] = [];
  for (const account of mine) {
    if (account.allGlobalPrivileges) paths.push(`${accountName(account)} holds ALL PRIVILEGES ON *.*`);
    else if (account.globalPrivileges.includes('Super')) paths.push(`${accountName(account)} holds SUPER`);
    for (const { role, via } of reachableRoles(account, grants, accounts)) {
      const granted = accounts.find((candidate) => candidate.user === role.user && candidate.host === role.host);
      if (!granted || !(granted.allGlobalPrivileges || granted.globalPrivileges.includes('Super'))) continue;
      const how = role.user === MARIADB_PUBLIC_ROLE && via.length === 0 ? 'holds role PUBLIC (every account does)' : `is granted role "${role.user}"${via.length ? ` through ${via.map((name) => `"${name}"`).join(' -> ')}` : ''}`;
      paths.push(`${accountName(account)} ${how}, which holds ${granted.allGlobalPrivileges ? 'ALL PRIVILEGES ON *.*' : 'SUPER'}`);
    }
  }
  return { superuserPaths: paths, accountsSeen: mine.map(accountName) };
}
