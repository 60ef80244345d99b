/**
 * reloadLabPostgres, on which the lab tests lean instead of a fixed pause after pg_reload_conf():
 * on the machine's PostgreSQL and the oldest and newest pinned builds, the very next connection
 * after it returns meets the new pg_hba.conf rule, the new setting and the new TLS floor; and a
 * postgresql.conf that does not parse makes it fail, instead of returning as if reloaded.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../src/lab/local-server.js';
import { APP_USER } from '../../src/lab/fixture-accounts.js';
import { prependHostBasedAuthentication, reloadLabPostgres, setLabPostgresSettings } from './postgres-admin.js';
import { labPostgresMajors } from './postgres-versions.js';

after(() => stopAllLocalServers());

/** The application's login over TLS from 127.0.0.1: in or refused, and whether the server asked for the password. */
async function applicationLogin(server: LocalServer, tls: { maxVersion?: 'TLSv1.2' } = {}): Promise<{ in: boolean; askedPassword: boolean; refusal?: string }> {
  let askedPassword = false;
  const client = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.user,
    database: server.database,
    connectionTimeoutMillis: 10_000,
    password: async () => {
      askedPassword = true;
      return server.password;
    },
    ssl: { ca: await readFile(server.caFile, 'utf8'), ...tls },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { in: true, askedPassword };
  } catch (error) {
    return { in: false, askedPassword, refusal: (error as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

for (const lab of labPostgresMajors()) {
  describe(`PostgreSQL ${lab.major}`, { skip: lab.skip }, () => {
    test('the connection right after the reload meets the new pg_hba.conf rule, setting and TLS floor', async () => {
      const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
      try {
        assert.deepEqual(await applicationLogin(server), { in: true, askedPassword: true }, 'as set up, the application logs in with its password');
        await prependHostBasedAuthentication(server, [`hostssl all ${APP_USER} 127.0.0.1/32 trust`]);
        assert.deepEqual(await applicationLogin(server), { in: true, askedPassword: false }, 'the trust rule is in force');
        await prependHostBasedAuthentication(server, [`hostssl all ${APP_USER} 127.0.0.1/32 reject`]);
        const refused = await applicationLogin(server);
        assert.equal(refused.in, false, 'the reject rule is in force');
        assert.match(refused.refusal ?? '', /pg_hba\.conf rejects connection/);

        await setLabPostgresSettings(server, { ssl_min_protocol_version: 'TLSv1.3' });
        const tls12 = await applicationLogin(server, { maxVersion: 'TLSv1.2' });
        assert.equal(tls12.in, false, 'a TLS 1.2 handshake is refused under the new floor');
        assert.doesNotMatch(tls12.refusal ?? '', /pg_hba/, 'refused at the handshake, before any rule');
      } finally {
        await server.stop();
      }
    });

    test('a postgresql.conf that does not parse is not loaded, and the wait says so instead of returning', async () => {
      const server = await startLocalServer('postgres', 'hardened', { mode: 'process', ...lab.versionOption });
      try {
        await appendFile(join(server.workDirectory!, 'data', 'postgresql.conf'), '\nthis line is not a setting\n');
        await assert.rejects(reloadLabPostgres(server, [], 1000), /did not reload its configuration files within 1000 ms/);
      } finally {
        await server.stop();
      }
    });
  });
}
