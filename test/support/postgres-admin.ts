import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
  const client = new pg.Client({ host: join(server.workDirectory!, 'socket'), port: server.port, user: POSTGRES_ADMIN_USER, database, connectionTimeoutMillis: 10_000 });
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
 * lab test does to act as the workload rather than as the superuser, in the server's database unless
 * another is given. Returns the last statement's rows.
 */
export async function asPostgresAccount<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  server: LocalServer,
  statement: string,
  account: { user: string; password: string } = { user: server.user, password: server.password },
  database = server.database,
): Promise<Row[]> {
  const client = new pg.Client({ host: server.host, port: server.port, user: account.user, password: account.password, database, ssl: { ca: await readFile(server.caFile, 'utf8') } });
  await client.connect();
  try {
    const results: pg.QueryResult<Row> | Array<pg.QueryResult<Row>> = await client.query<Row>(statement);
    return (Array.isArray(results) ? results[results.length - 1] : results).rows;
  } finally {
    await client.end();
  }
}

/** Puts `lines` ahead of a lab server's pg_hba.conf (the first matching line wins), checks that it parses, and reloads it (in force for every new connection on return). */
export async function prependHostBasedAuthentication(server: LocalServer, lines: string[]): Promise<void> {
  const file = join(server.workDirectory!, 'data', 'pg_hba.conf');
  await writeFile(file, `${lines.join('\n')}\n${await readFile(file, 'utf8')}`);
  // pg_hba_file_rules parses the file on disk: a line in error would leave the postmaster on the old rules.
  const [{ errors }] = await asPostgresAdmin<{ errors: number }>(server, ['SELECT count(*)::int AS errors FROM pg_hba_file_rules WHERE error IS NOT NULL']);
  assert.equal(errors, 0, 'pg_hba.conf did not parse');
  await reloadLabPostgres(server);
}

/** A lab PostgreSQL server, as the LocalServer that started it or as the Target that assesses it: both carry its port and lab handle. */
export type LabPostgres = Pick<Target, 'port' | 'lab'>;

/** Works with a lab target's PostgreSQL as its superuser, over the Unix socket, in the target's database. */
export async function asLabPostgresAdmin<T>(target: LabPostgres, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const lab = target.lab as PostgresLabHandle;
  const client = new pg.Client({ host: lab.socketDirectory, port: target.port, user: lab.adminUser, database: lab.database, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** How long a lab server may take to reload its configuration files: far beyond what a loaded 2-core machine needs. */
const RELOAD_WAIT_MS = 10_000;

/**
 * Runs `statements` (ALTER SYSTEM, say) as a lab PostgreSQL server's superuser, reloads its
 * configuration files (postgresql.conf with postgresql.auto.conf, pg_hba.conf, pg_ident.conf, the
 * TLS files) and returns once a new connection gets what they now say; throws after `timeoutMs`.
 *
 * pg_reload_conf() only signals the postmaster. The postmaster rereads postgresql.conf (which stamps
 * pg_conf_load_time), signals its children, then rereads pg_hba.conf and pg_ident.conf and remakes
 * the TLS context, all in one step of its loop, and forks no backend in between; a backend inherits
 * the stamp, the rules and the context at fork. So once a new backend shows a stamp later than
 * before the signal, the postmaster has been through that step (the stamp is its own, or one a
 * backend still starting took on its signal) and every connection opened after gets the new files.
 * Seen on 13, 15 and 18, also beside a CPU hog. The postmaster takes a pending reload before the
 * next connection, so the first poll usually succeeds; the poll makes sure of it, and a
 * postgresql.conf that does not parse (not loaded at all, the stamp left as it was) fails here
 * rather than leaving the test to run against the old configuration.
 */
export async function reloadLabPostgres(server: LabPostgres, statements: string[] = [], timeoutMs = RELOAD_WAIT_MS): Promise<void> {
  const loadedBefore = await asLabPostgresAdmin(server, async (client) => {
    for (const statement of statements) await client.query(statement);
    const { rows } = await client.query<{ loaded: string }>('SELECT pg_conf_load_time()::text AS loaded');
    await client.query('SELECT pg_reload_conf()');
    return rows[0].loaded;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A new connection each time: one already open rereads postgresql.conf itself on the signal and stamps its own time.
    const reloaded = await asLabPostgresAdmin(server, async (client) => (await client.query<{ reloaded: boolean }>('SELECT pg_conf_load_time() > $1::timestamptz AS reloaded', [loadedBefore])).rows[0].reloaded);
    if (reloaded) return;
    assert.ok(Date.now() < deadline, `the server did not reload its configuration files within ${timeoutMs} ms (last loaded at ${loadedBefore}); a postgresql.conf that does not parse is not loaded: see the server's log`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Sets server settings with ALTER SYSTEM on a lab target's PostgreSQL and reloads; on return a new
 * backend shows every value (checked: a setting that needs a restart would not).
 */
export async function setLabPostgresSettings(target: LabPostgres, settings: Record<string, string>): Promise<void> {
  await reloadLabPostgres(
    target,
    Object.entries(settings).map(([name, value]) => `ALTER SYSTEM SET ${name} = '${value.replace(/'/g, "''")}'`),
  );
  const current = await asLabPostgresAdmin(target, async (client) => {
    const values: Record<string, string> = {};
    for (const name of Object.keys(settings)) values[name] = (await client.query<{ value: string }>('SELECT current_setting($1) AS value', [name])).rows[0].value;
    return values;
  });
  assert.deepEqual(current, settings, `the server did not take ${JSON.stringify(settings)} at the reload`);
}

/**
 * Returns once a lab PostgreSQL server's log file holds every line the server logged before the
 * call (bounded, 10 s): the superuser logs a marker line and this waits for it. The server's
 * processes write their lines to the one stderr pipe as they log them, and the lab copies that
 * pipe to the file in order, so a line logged before the marker is in the file once the marker is.
 * What a test waits for before it counts lines (a backend logs its login before the client is in,
 * and a refusal before the client hears of it); a line not yet logged it cannot wait for.
 */
export async function postgresLogCaughtUp(server: LocalServer): Promise<void> {
  const file = server.logFiles?.[0] ?? assert.fail('the lab server names no log file');
  const marker = `dbcomply_log_caught_up_${randomBytes(6).toString('hex')}`;
  // The session's own log_min_messages: a server-wide or per-role one above LOG would drop the marker.
  await asPostgresAdmin(server, ["SET log_min_messages = 'log'", `DO $$ BEGIN RAISE LOG '${marker}'; END $$`]);
  const deadline = Date.now() + 10_000;
  while (!(await readFile(file, 'utf8')).includes(marker)) {
    assert.ok(Date.now() < deadline, `the marker ${marker} did not reach ${file} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
