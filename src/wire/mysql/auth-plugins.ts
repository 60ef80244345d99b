import { mariaDbEd25519Signature } from './ed25519-signature.js';

/** Names of the authentication plugins a server asked this connection for, in order. */
export type PluginLog = string[];

/**
 * mysql2 `authPlugins` that also answer MariaDB's client_ed25519, and note every plugin the server
 * switches to, so a probe can report which method the server demanded for the account.
 * mysql_clear_password is answered only for the empty password, which reveals nothing; a real
 * password never leaves in cleartext, even inside TLS whose certificate the probe did not verify.
 */
export function authPluginsFor(password: string, log: PluginLog = []) {
  return {
    client_ed25519: () => {
      log.push('client_ed25519');
      return (scramble: Buffer) => mariaDbEd25519Signature(scramble.subarray(0, 32), password);
    },
    mysql_clear_password: () => {
      log.push('mysql_clear_password');
      return () => {
        if (password !== '') throw Object.assign(new Error('the server asked for the password in cleartext (mysql_clear_password); dbcomply does not send one'), { code: 'CLEARTEXT_PASSWORD_REFUSED' });
        return Buffer.from([0]);
      };
    },
  };
}
