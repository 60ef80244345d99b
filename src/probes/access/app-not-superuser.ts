import { failed, passed, undecided } from '../../controls/judgement.js';
import { defineCheck, CannotObserve } from '../check.js';
import { accountName, readGrantedRoles, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import type { SqlSession } from '../../sessions/sql-session.js';

export interface SuperuserEvidence {
  readAs: string;
  application: string;
  /** Each way the application account reaches superuser power. */
  superuserPaths: string[];
  accountsSeen: string[];
}

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
  judge({ readAs, application, superuserPaths, accountsSeen }) {
    if (superuserPaths.length > 0) return failed(`the application account "${application}" has superuser power: ${superuserPaths.join('; ')}`);
    if (accountsSeen.length === 0) return undecided(`the catalog has no account named "${application}"`);
    return passed(`the application account "${application}" (${accountsSeen.join(', ')}) holds no superuser, SUPER or all-privileges grant (${readAs})`);
  },
});

async function postgresSuperuserPaths(session: SqlSession, role: string) {
  const rows = await session.query<{ rolname: string; rolsuper: boolean; via: string[] }>(
    `SELECT r.rolname, r.rolsuper,
            ARRAY(SELECT s.rolname FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'MEMBER') ORDER BY 1)::text[] AS via
       FROM pg_roles r WHERE r.rolname = $1`,
    [role],
  );
  const paths = rows.flatMap((row) => [
    ...(row.rolsuper ? [`role "${row.rolname}" is SUPERUSER`] : []),
    ...row.via.map((superuser) => `member of superuser role "${superuser}"`),
  ]);
  return { superuserPaths: paths, accountsSeen: rows.map((row) => row.rolname) };
}

async function mysqlSuperuserPaths(session: SqlSession, user: string) {
  const accounts = await readMysqlAccounts(session);
  const mine = accounts.filter((account) => account.user === user && !account.isRole);
  const paths: string[] = [];
  for (const account of mine) {
    if (account.allGlobalPrivileges) paths.push(`${accountName(account)} holds ALL PRIVILEGES ON *.*`);
    else if (account.globalPrivileges.includes('Super')) paths.push(`${accountName(account)} holds SUPER`);
    for (const role of await readGrantedRoles(session, account)) {
      const granted = accounts.find((candidate) => candidate.isRole && candidate.user === role);
      if (granted && (granted.allGlobalPrivileges || granted.globalPrivileges.includes('Super'))) paths.push(`${accountName(account)} is granted role "${role}", which holds SUPER or ALL PRIVILEGES`);
    }
  }
  return { superuserPaths: paths, accountsSeen: mine.map(accountName) };
}
