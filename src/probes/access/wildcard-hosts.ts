import { failed, passed } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import { readCatalog } from '../catalog/catalog-session.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import { findingOf, type Finding } from '../finding.js';

/** Host patterns that match any client address. */
const ANY_HOST = new Set(['%', '']);

/** access.no-wildcard-hosts (MySQL): no account that can log in matches every client host, unless declared. */
export function checkNoWildcardHosts(target: Target): Promise<Finding> {
  return findingOf(async () => {
    const allowed = new Set(target.allow?.wildcardHosts ?? []);
    const { readAs, result: accounts } = await readCatalog(target, 'the accounts and their hosts', readMysqlAccounts);
    const anyHost = accounts.filter((account) => ANY_HOST.has(account.host) && !account.isRole && !account.locked);
    const offenders = anyHost.filter((account) => !allowed.has(account.user)).map(accountName);
    const evidence = { readAs, accountsChecked: accounts.length, offenders, allowedByDeclaration: anyHost.filter((account) => allowed.has(account.user)).map(accountName) };
    return {
      evidence,
      judgement: offenders.length > 0
        ? failed(`accounts reachable from any host: ${offenders.join(', ')}`)
        : passed(`none of ${accounts.length} accounts that can log in is reachable from host '%' unless declared (${readAs})`),
    };
  });
}
