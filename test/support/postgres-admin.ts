import { join } from 'node:path';
import pg from 'pg';
import type { LocalServer } from '../../src/lab/local-server.js';
import { POSTGRES_ADMIN_USER } from '../../src/lab/postgres-settings.js';

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
