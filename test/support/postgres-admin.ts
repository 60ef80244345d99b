import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { LocalServer } from '../../src/lab/local-server.js';
import { POSTGRES_ADMIN_USER } from '../../src/lab/postgres-settings.js';
import type { PostgresLabHandle } from '../../src/targets/lab-handle.js';
import type { Target } from '../../src/targets/target.js';

/**
 * Runs statements in order as a lab PostgreSQL server's superuser, over its Unix socket (peer
 * authentication, no password), in `database`; returns the last statement's rows. What the lab
 * tests use to change a server in ways its fixtures never do.
 */
export async function asPostgresAdmin<Row extends pg.QueryResultRow = pg.QueryResultRow>(server: LocalServer, statements: string[], database = 'app'): Promise<Row[]> {
  const client = new pg.Client({ host: join(server.workDirectory!, 'socket'), port: server.port, user: POSTGRES_ADMIN_USER, database });
  await client.connect();
  try {
    let rows: Row[] = [];
    for (const statement of statements) rows = (await client.query<Row>(statement)).rows;
    return rows;
  } finally {
    await client.end();
  }
}

/**
 * Runs one statement (or several, separated by semicolons) as a lab PostgreSQL account over TLS with
 * its own password, as any client would (the application account unless another is given): what a
 * lab test does to act as the workload rather than as the superuser. Returns the last statement's rows.
 */
export async function asPostgresAccount<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  server: LocalServer,
  statement: string,
  account: { user: string; password: string } = { user: server.user, password: server.password },
): Promise<Row[]> {
  const client = new pg.Client({ host: server.host, port: server.port, user: account.user, password: account.password, database: server.database, ssl: { ca: await readFile(server.caFile, 'utf8') } });
  await client.connect();
  try {
    const results: pg.QueryResult<Row> | Array<pg.QueryResult<Row>> = await client.query<Row>(statement);
    return (Array.isArray(results) ? results[results.length - 1] : results).rows;
  } finally {
    await client.end();
  }
}

/** Puts `lines` ahead of a lab server's pg_hba.conf (the first matching line wins), reloads it and checks that it parsed. */
export async function prependHostBasedAuthentication(server: LocalServer, lines: string[]): Promise<void> {
  const file = join(server.workDirectory!, 'data', 'pg_hba.conf');
  await writeFile(file, `${lines.join('\n')}\n${await readFile(file, 'utf8')}`);
  await asPostgresAdmin(server, ['SELECT pg_reload_conf()']);
  const [{ errors }] = await asPostgresAdmin<{ errors: number }>(server, ['SELECT count(*)::int AS errors FROM pg_hba_file_rules WHERE error IS NOT NULL']);
  assert.equal(errors, 0, 'pg_hba.conf did not parse');
  // The postmaster rereads the file on the signal, not at once.
  await new Promise((resolve) => setTimeout(resolve, 500));
}

/** Works with a lab target's PostgreSQL as its superuser, over the Unix socket, in the target's database. */
export async function asLabPostgresAdmin<T>(target: Target, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const lab = target.lab as PostgresLabHandle;
  const client = new pg.Client({ host: lab.socketDirectory, port: target.port, user: lab.adminUser, database: lab.database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Sets server settings with ALTER SYSTEM on a lab target's PostgreSQL, reloads, and returns once a
 * new backend shows every value (bounded, 10 s).
 */
export async function setLabPostgresSettings(target: Target, settings: Record<string, string>): Promise<void> {
  await asLabPostgresAdmin(target, async (client) => {
    for (const [name, value] of Object.entries(settings)) await client.query(`ALTER SYSTEM SET ${name} = '${value.replace(/'/g, "''")}'`);
    await client.query('SELECT pg_reload_conf()');
  });
  // pg_reload_conf only signals the postmaster; a new backend has the values once the postmaster
  // has reread the file, which on a loaded machine takes longer than any fixed pause.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const current = await asLabPostgresAdmin(target, async (client) => {
      const values: Record<string, string> = {};
      for (const name of Object.keys(settings)) values[name] = (await client.query<{ value: string }>('SELECT current_setting($1) AS value', [name])).rows[0].value;
      return values;
    });
    if (Object.entries(settings).every(([name, value]) => current[name] === value)) return;
    assert.ok(Date.now() < deadline, `the server did not take ${JSON.stringify(settings)} within 10 s (it shows ${JSON.stringify(current)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
