import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import { matchesEveryClient } from './host-pattern.js';

export interface WildcardHostsEvidence {
  readAs: string;
  /** Accounts that can log in (not roles, not locked). */
  accountsChecked: number;
  /** user@host of each of them: what accountsChecked counted. */
  accounts?: string[];
  /** user@host of every account that can log in from any host: '%', or a pattern such as '_%' or '0.0.0.0/0.0.0.0' that matches every address. */
  anyHost: Array<{ user: string; account: string }>;
}

/** access.no-wildcard-hosts (MySQL): no account that can log in matches every client host, unless declared. */
export const noWildcardHosts = defineCheck<WildcardHostsEvidence>({
  id: 'access.no-wildcard-hosts',
  evidenceTitle: 'accounts open to any host',
  async read(context) {
    const { readAs, result: accounts } = await context.catalog.read('the accounts and their hosts', readMysqlAccounts);
    const canLogIn = accounts.filter((account) => !account.isRole && !account.locked);
    return {
      readAs,
      accountsChecked: canLogIn.length,
      accounts: canLogIn.map(accountName),
      anyHost: canLogIn.filter((account) => matchesEveryClient(account.host)).map((account) => ({ user: account.user, account: accountName(account) })),
    };
  },
  judge({ readAs, accountsChecked, anyHost }, target) {
    const allowed = new Set(target.allow?.wildcardHosts ?? []);
    const offenders = anyHost.filter((entry) => !allowed.has(entry.user)).map((entry) => entry.account);
    const declared = anyHost.filter((entry) => allowed.has(entry.user)).map((entry) => entry.account);
    if (offenders.length > 0) return failed(`accounts reachable from any host: ${offenders.join(', ')}`);
    // The auditor itself logged in, so an empty list means a view restricted to it, not a server without accounts.
    if (accountsChecked === 0) return undecided(`the catalog listed no account that can log in (${readAs}); the auditor may lack SELECT on mysql.user`);
    return passed(
      `none of ${accountsChecked} accounts that can log in is reachable from any host ('%' or a pattern that matches every address)${declared.length ? ` except the declared ${declared.join(', ')}` : ''} (${readAs})`,
    );
  },
});
