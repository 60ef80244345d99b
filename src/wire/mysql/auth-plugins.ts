import { mariaDbEd25519Signature } from './ed25519-signature.js';

/** Names of the authentication plugins a server asked this connection for, in order. */
export type PluginLog = string[];

/**
 * mysql2 `authPlugins` that also answer MariaDB's client_ed25519, and note every plugin the server
 * switches to, so a probe can report which method the server demanded for the account.
 */
export function authPluginsFor(password: string, log: PluginLog = []) {
  return {
    client_ed25519: () => {
      log.push('client_ed25519');
      return (scramble: Buffer) => mariaDbEd25519Signature(scramble.subarray(0, 32), password);
    },
  };
}
