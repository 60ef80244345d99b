import { TLSSocket } from 'node:tls';

/** Names of the authentication plugins a server asked this connection for, in order. */
export type PluginLog = string[];

/**
 * When mysql_clear_password may send the secret: 'empty-only' (a real password never leaves in
 * cleartext, even inside TLS whose certificate the probe did not verify), or 'over-tls' for a
 * credential made for it (an Entra token, over TLS whose certificate was verified), checked again
 * on the live connection at the moment of sending.
 */
export type CleartextPolicy = 'empty-only' | 'over-tls';

/**
 * mysql2 `authPlugins` that also answer MariaDB's client_ed25519, and note every plugin the server
 * switches to, so a probe can report which method the server demanded for the account.
 */
export function authPluginsFor(password: string, log: PluginLog = [], cleartext: CleartextPolicy = 'empty-only') {
  return {
    client_ed25519: () => {
      log.push('client_ed25519');
      // The curve arithmetic loads only when a server asks for ed25519: a twentieth of a second of
      // start-up that runs against PostgreSQL, or MariaDB accounts on other methods, never need.
      return async (scramble: Buffer) => (await import('./ed25519-signature.js')).mariaDbEd25519Signature(scramble.subarray(0, 32), password);
    },
    mysql_clear_password: ({ connection }: { connection: unknown }) => {
      log.push('mysql_clear_password');
      return () => {
        if (password === '') return Buffer.from([0]);
        if (cleartext === 'over-tls') {
          // mysql2 swaps its stream for a TLSSocket once TLS is up; the typings do not show the field.
          const stream = (connection as { stream?: unknown }).stream;
          if (!(stream instanceof TLSSocket) || !stream.encrypted) throw new Error('refusing to send a credential in cleartext over a connection without TLS');
          return Buffer.from(`${password}\0`);
        }
        throw Object.assign(new Error('the server asked for the password in cleartext (mysql_clear_password); dbcomply does not send one'), { code: 'CLEARTEXT_PASSWORD_REFUSED' });
      };
    },
  };
}
