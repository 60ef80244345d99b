/**
 * What each MySQL/MariaDB server-side authentication plugin keeps in an account's row, in one
 * table that every account check reads: which plugins check a stored password (and how well it is
 * kept), and which ask someone else. A plugin missing here is unknown, and never taken for either.
 */
export type AuthPluginKind =
  /** Unsalted SHA-1 (native) or the pre-4.1 hash (old, or no plugin at all): a stolen row is as good as the password. */
  | 'weak-password'
  /** Salted, iterated or asymmetric: a stolen row does not give the password away. */
  | 'strong-password'
  /** The credential column holds no password hash: the OS, PAM, Kerberos, a directory, a security key or a cloud identity checks the login. */
  | 'external';

const KINDS: Record<string, AuthPluginKind> = {
  // A row without a plugin name is checked against its pre-plugin hash (mysql.user's Password column).
  '': 'weak-password',
  mysql_native_password: 'weak-password',
  mysql_old_password: 'weak-password',
  caching_sha2_password: 'strong-password',
  sha256_password: 'strong-password',
  ed25519: 'strong-password',
  // MariaDB 11.6: PBKDF2 with a per-account salt.
  parsec: 'strong-password',
  pam: 'external',
  auth_pam: 'external',
  authentication_pam: 'external',
  gssapi: 'external',
  unix_socket: 'external',
  auth_socket: 'external',
  named_pipe: 'external',
  authentication_windows: 'external',
  authentication_kerberos: 'external',
  // MySQL Enterprise: the directory, a security key or a cloud identity checks the login; the row keeps no hash.
  authentication_ldap_simple: 'external',
  authentication_ldap_sasl: 'external',
  authentication_fido: 'external',
  authentication_webauthn: 'external',
  authentication_oci: 'external',
  authentication_openid_connect: 'external',
  // MySQL 8's plugin for accounts that may never log in (definers, proxied accounts).
  mysql_no_login: 'external',
};

/**
 * A plugin's kind. MariaDB keeps a plugin's name as CREATE USER spelled it ("IDENTIFIED VIA
 * UNIX_SOCKET" stores UNIX_SOCKET) and finds the plugin whatever the case, so the case says nothing.
 */
export function authPluginKind(plugin: string): AuthPluginKind | 'unknown' {
  const name = plugin.toLowerCase();
  return Object.hasOwn(KINDS, name) ? KINDS[name] : 'unknown';
}

/** The plugin compares what the client sends with a password the row stores: an empty stored one lets anyone in with no password. */
export const checksStoredPassword = (plugin: string): boolean => {
  const kind = authPluginKind(plugin);
  return kind === 'weak-password' || kind === 'strong-password';
};
