/**
 * access.public-schema reads schema public in every database that accepts connections, on real
 * servers: a role that may log in to another database may create in that database's schema public.
 * On PostgreSQL 14 a database made from template0 lets PUBLIC create there by default.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { publicSchema } from '../../../src/probes/access/public-schema.js';
import { decideCheck } from '../../support/decide-check.js';
import { postgresVersionAvailability } from '../../support/postgres-versions.js';
import { asPostgresAdmin as asAdmin } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

test('PUBLIC may create in schema public of another database: fails, named with the database; a database the auditor may not enter is undecided', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-public-schema-everywhere', server, 'baseline');
    const clean = (await decideCheck(publicSchema, target)).decision;
    assert.equal(clean.verdict, 'passed', clean.reason);
    assert.match(clean.reason, /in database "app" PUBLIC may not CREATE in schema public .*; nor in the 2 other databases that accept connections \(postgres, template1\)/);

    await asAdmin(server, ['CREATE DATABASE sales']);
    await asAdmin(server, ['GRANT CREATE ON SCHEMA public TO PUBLIC'], 'sales');
    const open = (await decideCheck(publicSchema, target)).decision;
    assert.equal(open.verdict, 'failed', open.reason);
    assert.match(open.reason, /every role \(PUBLIC\) may CREATE in schema public in database "sales"/);
    assert.doesNotMatch(open.reason, /database "app"/);

    await asAdmin(server, ['REVOKE CREATE ON SCHEMA public FROM PUBLIC'], 'sales');
    await asAdmin(server, ['CREATE DATABASE hr', 'REVOKE CONNECT ON DATABASE hr FROM PUBLIC']);
    const closed = (await decideCheck(publicSchema, target)).decision;
    assert.equal(closed.verdict, 'undecided', closed.reason);
    assert.match(closed.reason, /schema public could not be read in "hr" \(.*permission denied for database "hr"/);
  } finally {
    await server.stop();
  }
});

const availability = postgresVersionAvailability();
test('PostgreSQL 14: a database made from template0 keeps the default CREATE for PUBLIC and fails', { skip: !availability.present.includes(14) && (availability.message ?? 'PostgreSQL 14 is not pinned') }, async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process', postgresVersion: 14 });
  try {
    await asAdmin(server, ['CREATE DATABASE sales TEMPLATE template0']);
    const decision = (await decideCheck(publicSchema, targetForLocalServer('pg14-public-schema', server, 'baseline'))).decision;
    assert.equal(decision.verdict, 'failed', decision.reason);
    assert.match(decision.reason, /in database "sales" \(ACL \{[^}]*,=UC\/postgres\}\)/);
  } finally {
    await server.stop();
  }
});
