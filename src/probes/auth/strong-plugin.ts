import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';

/**
 * Plugins whose mysql.user credential is not a password hash: PAM's is a service name, GSSAPI's a
 * principal. Such an account has no stored password to judge; it is listed apart, not counted as
 * one "with a password" that uses a "strong plugin".
 */
const NO_STORED_PASSWORD = new Set([
  'pam',
  'auth_pam',
  'authentication_pam',
  'gssapi',
  'unix_socket',
  'auth_socket',
  'named_pipe',
  'authentication_windows',
  'authentication_kerberos',
  // MySQL Enterprise: the directory, a security key or a cloud identity checks the login; the row keeps no hash.
  'authentication_ldap_simple',
  'authentication_ldap_sasl',
  'authentication_fido',
  'authentication_webauthn',
  'authentication_oci',
  'authentication_openid_connect',
]);

/**
 * Salted, iterated or asymmetric: a stolen row does not give the password away. An allow list, so
 * a plugin this harness does not know is never counted strong (MariaDB 11.6's parsec is PBKDF2).
 */
const STRONG_PLUGINS = new Set(['caching_sha2_password', 'sha256_password', 'ed25519', 'parsec']);

/** Unsalted SHA-1 (native) and the pre-4.1 hash (old): a stolen mysql.user row is as good as the password. */
const WEAK_PLUGINS = new Set(['mysql_native_password', 'mysql_old_password', '']);

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
    const storedPasswordPlugins = (account: (typeof accounts)[number]) => pluginsOf(account).filter((plugin) => !NO_STORED_PASSWORD.has(plugin));
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
    const weak = entries.filter(([, plugins]) => plugins.split(' OR ').some((plugin) => WEAK_PLUGINS.has(plugin))).map(([account, plugin]) => `${account} (${plugin || 'pre-plugin hash'})`);
    if (weak.length > 0) return failed(`accounts whose password uses a weak plugin: ${weak.join(', ')}`);
    const unknown = entries.filter(([, plugins]) => plugins.split(' OR ').some((plugin) => !STRONG_PLUGINS.has(plugin))).map(([account, plugin]) => `${account} (${plugin})`);
    if (unknown.length > 0) return undecided(`accounts whose password plugin this harness does not know to be strong or weak: ${unknown.join(', ')}`);
    if (entries.length === 0) return passed(`no account that can log in has a password to judge${apart} (${readAs})`);
    return passed(`all ${entries.length} accounts with a password use a strong plugin (${[...new Set(entries.flatMap(([, plugins]) => plugins.split(' OR ')))].join(', ')})${apart}; ${readAs}`);
  },
});
