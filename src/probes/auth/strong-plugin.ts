import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import { authPluginKind } from '../catalog/mysql-auth-plugins.js';

/**
 * auth.strong-plugin (MySQL): every account that has a password keeps it with caching_sha2_password,
 * sha256_password or ed25519. The login the harness made shows which plugin the server demanded.
 */
export const strongPlugin = defineCheck({
  id: 'auth.strong-plugin',
  evidenceTitle: 'authentication plugins',
  async read(context) {
    const { readAs, result: accounts } = await context.catalog.read('the accounts and their plugins', readMysqlAccounts);
    const login = await context.login(await context.loginTransport());
    const withCredential = accounts.filter((account) => account.hasCredential && !account.isRole && !account.locked);
    const pluginsOf = (account: (typeof accounts)[number]) => (account.passwordPlugins.length > 0 ? account.passwordPlugins : [account.plugin]);
    const storedPasswordPlugins = (account: (typeof accounts)[number]) => pluginsOf(account).filter((plugin) => authPluginKind(plugin) !== 'external');
    return {
      readAs,
      // MariaDB's IDENTIFIED VIA a OR b: every alternative that holds a password, joined by " OR ".
      plugins: Object.fromEntries(withCredential.filter((account) => storedPasswordPlugins(account).length > 0).map((account) => [accountName(account), storedPasswordPlugins(account).join(' OR ')])),
      withoutStoredPassword: Object.fromEntries(withCredential.filter((account) => storedPasswordPlugins(account).length === 0).map((account) => [accountName(account), pluginsOf(account).join(' OR ')])),
      loginAccount: login ? { user: login.user, outcome: login.outcome, serverSwitchedTo: login.authPlugins ?? "no switch: the greeting's default plugin" } : 'no login made',
    };
  },
  judge({ readAs, plugins, withoutStoredPassword }) {
    const entries = Object.entries(plugins);
    const others = Object.entries(withoutStoredPassword ?? {});
    const apart = others.length > 0 ? `; ${others.length} authenticate${others.length === 1 ? 's' : ''} without a stored password, not judged here: ${others.map(([account, plugin]) => `${account} (${plugin})`).join(', ')}` : '';
    const weak = entries.filter(([, plugins]) => plugins.split(' OR ').some((plugin) => authPluginKind(plugin) === 'weak-password')).map(([account, plugin]) => `${account} (${plugin || 'pre-plugin hash'})`);
    if (weak.length > 0) return failed(`accounts whose password uses a weak plugin: ${weak.join(', ')}`);
    const unknown = entries.filter(([, plugins]) => plugins.split(' OR ').some((plugin) => authPluginKind(plugin) !== 'strong-password')).map(([account, plugin]) => `${account} (${plugin})`);
    if (unknown.length > 0) return undecided(`accounts whose password plugin this harness does not know to be strong or weak: ${unknown.join(', ')}`);
    if (entries.length === 0) return passed(`no account that can log in has a password to judge${apart} (${readAs})`);
    return passed(`all ${entries.length} accounts with a password use a strong plugin (${[...new Set(entries.flatMap(([, plugins]) => plugins.split(' OR ')))].join(', ')})${apart}; ${readAs}`);
  },
});
