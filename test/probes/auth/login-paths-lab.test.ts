/**
 * The login-path controls (auth.no-passwordless, auth.scram, transport.tls-required) against
 * refusals that are not pg_hba's rules, on a real server: an ident line refuses the harness only
 * because its host runs no ident service, and a server at max_connections refuses every startup
 * with 53300 whatever its rules say. Neither may pass.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pg from 'pg';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, MASKED_ROLE } from '../../../src/lab/fixture-accounts.js';
import { noPasswordless } from '../../../src/probes/auth/passwordless.js';
import { scram } from '../../../src/probes/auth/postgres-auth-methods.js';
import { tlsRequired, type TlsRequiredEvidence } from '../../../src/probes/transport/tls-required-check.js';
import { decideControl, observeControl } from '../../../src/probes/control-observation.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import type { Target } from '../../../src/targets/target.js';
import type { Check } from '../../../src/probes/check.js';
import { asPostgresAdmin, prependHostBasedAuthentication } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

const adminClient = (server: LocalServer) => new pg.Client({ host: join(server.workDirectory!, 'socket'), port: server.port, user: 'postgres', database: 'app' });

const CHECKS: Check<unknown>[] = [noPasswordless, scram, tlsRequired] as Check<unknown>[];

async function decideAll(target: Target, context = new TargetContext(target)) {
  try {
    const decisions: Record<string, { verdict: string; reason: string }> = {};
    for (const check of CHECKS) decisions[check.id] = decideControl(check, await observeControl(context, check), target);
    return decisions;
  } finally {
    await context.close();
  }
}

test('ident lines: the harness host has no ident service, yet the paths are ident, not refused', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    await prependHostBasedAuthentication(server, [`hostssl all ${APP_USER} 127.0.0.1/32 ident`, `host all ${MASKED_ROLE} 127.0.0.1/32 ident`]);
    const decisions = await decideAll(targetForLocalServer('pg-ident', server, 'baseline'));
    assert.equal(decisions['auth.no-passwordless'].verdict, 'failed', decisions['auth.no-passwordless'].reason);
    assert.match(decisions['auth.no-passwordless'].reason, new RegExp(`take the user name from the client host's ident service instead of a password \\(ident\\): ${APP_USER}@${APP_USER} over tls`));
    assert.equal(decisions['transport.tls-required'].verdict, 'failed', decisions['transport.tls-required'].reason);
    assert.match(decisions['transport.tls-required'].reason, new RegExp(`${MASKED_ROLE}@${APP_USER} over plaintext`));
    assert.doesNotMatch(decisions['transport.tls-required'].reason, new RegExp(`${APP_USER}@${APP_USER} over plaintext`), 'the hostssl ident line proceeds over TLS only');
    assert.equal(decisions['auth.scram'].verdict, 'passed', decisions['auth.scram'].reason);
    assert.match(decisions['auth.scram'].reason, /ident \(the client host's word for who connects\) on \d+ \(auth.no-passwordless judges those\)/);
  } finally {
    await server.stop();
  }
});

test('a server at max_connections refuses every startup with 53300: the controls are undecided, whatever trust and md5 lines it has', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  const holders: pg.Client[] = [];
  try {
    // Database lines only: replication connections have slots of their own (max_wal_senders) and are not refused.
    await prependHostBasedAuthentication(server, ['hostssl postgres all 127.0.0.1/32 trust', 'host template1 all 127.0.0.1/32 md5']);
    const target = targetForLocalServer('pg-full', server, 'baseline');
    const context = new TargetContext(target);
    // The auditor's catalog session first, then the admin takes every slot left, the reserved ones too.
    await context.catalog.read('a first query', (session) => session.query('SELECT 1'));
    for (;;) {
      const client = adminClient(server);
      client.on('error', () => undefined);
      try {
        await client.connect();
      } catch (error) {
        assert.match((error as Error).message, /too many clients/);
        break;
      }
      holders.push(client);
      assert.ok(holders.length < 200, 'the server never filled up');
    }
    const decisions = await decideAll(target, context);
    for (const check of CHECKS) {
      assert.equal(decisions[check.id].verdict, 'undecided', `${check.id}: ${decisions[check.id].reason}`);
      assert.match(decisions[check.id].reason, /login paths were refused for a reason that is not an authentication rule.*53300 sorry, too many clients already/);
    }
  } finally {
    await Promise.all(holders.map((client) => client.end().catch(() => undefined)));
    await server.stop();
  }
});

test('on a busy server with auth_delay, the matrix holds no more connection slots than it has startups in flight', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  const held: pg.Client[] = [];
  try {
    // Leave ten slots to ordinary roles (max_connections 40 less the 3 kept for superusers): a
    // matrix whose backends outlived their startup (auth_delay waits 0.5 s after an authentication
    // cut short) would run into "too many clients" and leave the controls undecided.
    const [{ max }] = await asPostgresAdmin<{ max: number }>(server, ["SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int AS max"]);
    for (let open = 0; open < max - 10; open++) {
      const client = adminClient(server);
      await client.connect();
      held.push(client);
    }
    const decisions = await decideAll(targetForLocalServer('busy-server', server, 'baseline'));
    for (const [id, { verdict, reason }] of Object.entries(decisions)) assert.equal(verdict, 'passed', `${id}: ${reason}`);
  } finally {
    await Promise.all(held.map((client) => client.end()));
    await server.stop();
  }
});

test('transport.tls-required alone asks every path without TLS but over TLS only until one proceeds; with the other login-path controls it judges the same', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    // The declared account is refused over TLS on this host, so the witness must be found further on.
    await prependHostBasedAuthentication(server, [`hostssl all ${APP_USER} 127.0.0.1/32 reject`]);
    const target = targetForLocalServer('tls-required-alone', server, 'baseline');
    const context = new TargetContext(target);
    let alone;
    try {
      alone = await observeControl(context, tlsRequired);
    } finally {
      await context.close();
    }
    assert.equal(alone.kind, 'observed');
    const evidence = (alone as { evidence: Extract<TlsRequiredEvidence, { engine: 'postgres' }> }).evidence;
    const { roles, databases } = evidence.matrix;
    // Every role x every database plus two replication paths per role, without TLS only.
    assert.equal(evidence.matrix.paths.length, roles.length * (databases.length + 2));
    assert.deepEqual(new Set(evidence.matrix.paths.map((path) => path.transport)), new Set(['plaintext']));
    assert.ok(evidence.overTls.length >= 2 && evidence.overTls.length < roles.length * (databases.length + 2), `TLS paths asked: ${evidence.overTls.length}`);
    assert.equal(evidence.overTls[0].role, APP_USER);
    assert.equal(evidence.overTls[0].answer.kind, 'refused');
    assert.equal(evidence.overTls.at(-1)!.answer.kind, 'asked');
    const aloneDecision = decideControl(tlsRequired, alone, target);
    assert.equal(aloneDecision.verdict, 'passed', aloneDecision.reason);
    assert.match(aloneDecision.reason, new RegExp(`login paths asked \\(${roles.length} roles x ${databases.length} databases .*without TLS, .*: all ${evidence.matrix.paths.length} are refused before authentication, while \\S+ over tls proceeds`));
    const together = await decideAll(target);
    assert.equal(together['transport.tls-required'].verdict, 'passed', together['transport.tls-required'].reason);
  } finally {
    await server.stop();
  }
});
