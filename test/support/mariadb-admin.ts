import type { LocalServer } from '../../src/lab/local-server.js';
import { findExecutable } from '../../src/lab/executables.js';
import { runCommand } from '../../src/lab/run-command.js';
import type { MariaDbLabHandle } from '../../src/targets/lab-handle.js';

/**
 * Runs SQL as a lab MariaDB server's root, over its socket by the OS identity (unix_socket), so no
 * password is involved; returns the client's batch output. What the lab tests use to change a
 * server in ways its fixtures never do (the MariaDB side of postgres-admin.ts).
 */
export function asMariaDbRoot(server: LocalServer): (sql: string) => Promise<string> {
  const client = findExecutable('mariadb', ['/usr/bin']);
  if (!client) throw new Error('mariadb (Debian package mariadb-client) is not installed');
  const lab = server.lab as MariaDbLabHandle;
  return (sql) => runCommand(client, ['--no-defaults', `--socket=${lab.socket}`, '--user=root', '--batch'], { input: `${sql};\n`, timeoutMs: 10_000 });
}
