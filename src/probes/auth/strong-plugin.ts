import { failed, passed } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import { readCatalog } from '../catalog/catalog-session.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import { findingOf, type Finding } from '../finding.js';
import type { LoginAttemptEvidence } from '../login/login-attempt.js';

/** Unsalted SHA-1 (native) and the pre-4.1 hash (old): a stolen mysql.user row is as good as the password. */
const WEAK_PLUGINS = new Set(['mysql_native_password', 'mysql_old_password', '']);

/**
 * auth.strong-plugin (MySQL): every account that has a password keeps it with caching_sha2_password,
 * sha256_password or ed25519. The login the harness made shows which plugin the server demanded.
 */
export function checkStrongPlugin(target: Target, login: LoginAttemptEvidence | undefined): Promise<Finding> {
  return findingOf(async () => {
    const { readAs, result: accounts } = await readCatalog(target, 'the accounts and their plugins', readMysqlAccounts);
    const withPassword = accounts.filter((account) => account.hasCredential && !account.isRole && !account.locked);
    const weak = withPassword.filter((account) => WEAK_PLUGINS.has(account.plugin)).map((account) => `${accountName(account)} (${account.plugin || 'pre-plugin hash'})`);
    const evidence = {
      readAs,
      plugins: Object.fromEntries(withPassword.map((account) => [accountName(account), account.plugin])),
      loginAccount: login ? { user: login.user, outcome: login.outcome, serverSwitchedTo: login.authPlugins ?? 'no switch: the greeting\'s default plugin' } : 'no login made',
    };
    return {
      evidence,
      judgement: weak.length > 0
        ? failed(`accounts whose password uses a weak plugin: ${weak.join(', ')}`)
        : passed(`all ${withPassword.length} accounts with a password use a strong plugin (${[...new Set(withPassword.map((account) => account.plugin))].join(', ') || 'none'}); ${readAs}`),
    };
  });
}
