/**
 * What the report attaches for the login-path controls: a path counts as refused by a rule only
 * when the server's words are pg_hba's own (login-paths.ts), yet the attached evidence grouped the
 * paths by SQLSTATE alone ("refused 28000"), so "all 48 are refused before authentication" could
 * not be checked against the evidence. The groups now carry the words, with the quoted host, user
 * and database elided. Real PostgreSQL, hardened.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { scram } from '../../../src/probes/auth/postgres-auth-methods.js';
import { tlsRequired } from '../../../src/probes/transport/tls-required-check.js';
import { decideControl, observeControl } from '../../../src/probes/control-observation.js';
import { TargetContext } from '../../../src/probes/target-context.js';

after(() => stopAllLocalServers());

test('the login-path evidence shows the words of every refusal the pass counts', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  const target = targetForLocalServer('pg-path-words', server, 'baseline');
  const context = new TargetContext(target);
  try {
    const transport = await observeControl(context, tlsRequired);
    assert.equal(transport.kind, 'observed');
    const decision = decideControl(tlsRequired, transport, target);
    assert.equal(decision.verdict, 'passed', decision.reason);
    const shown = tlsRequired.shown!(transport.kind === 'observed' ? transport.evidence : (undefined as never)) as { asked: number; pathsByAnswer: Record<string, string[]> };
    const groups = Object.entries(shown.pathsByAnswer);
    assert.ok(groups.length > 0);
    for (const [answer, paths] of groups) {
      assert.match(answer, /^refused 28000: .*pg_hba\.conf/, `the words of ${paths.length} refusals`);
      assert.deepEqual([...answer.matchAll(/"([^"]*)"/g)].map((quoted) => quoted[1]).filter((quoted) => quoted !== '…'), [], 'quoted names are elided, so one rule is one group');
    }
    const refused = groups.reduce((sum, [, paths]) => sum + paths.length, 0);
    assert.equal(refused, shown.asked);
    assert.match(decision.reason, new RegExp(`all ${refused} are refused before authentication`));

    const methods = await observeControl(context, scram);
    assert.equal(methods.kind, 'observed');
    const byAnswer = (scram.shown!(methods.kind === 'observed' ? methods.evidence : (undefined as never)) as { pathsByAnswer: Record<string, string[]> }).pathsByAnswer;
    const refusals = Object.keys(byAnswer).filter((answer) => answer.startsWith('refused'));
    assert.ok(refusals.length > 0 && refusals.every((answer) => /^refused 28000: .*pg_hba\.conf/.test(answer)), refusals.join(' / '));
  } finally {
    await context.close();
    await server.stop();
  }
});
