import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { awaitMarker, bruteForce, MAX_DETONATION_LOGINS } from '../../../src/probes/audit/detonation.js';
import { LogSource } from '../../../src/probes/audit/log-source.js';
import { labTarget } from './data-plane-checks-lab.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

test('brute-force pattern (for audit.failed-logins-recorded and later detectors): failures then a success for one account, all in the log, bounded and opt-in', async () => {
  const { server, target } = await labTarget('postgres', 'hardened');
  try {
    await assert.rejects(bruteForce(target, { user: server.user, password: server.password }, 3), /intrusive/);
    const intrusive = { ...target, intrusive: true };
    const source = LogSource.from(intrusive.logs!, intrusive.timeoutMs);
    const since = await source.position();
    const { failures, success } = await bruteForce(intrusive, { user: server.user, password: server.password }, 3);
    assert.deepEqual(failures.map((attempt) => attempt.outcome), ['refused-by-authentication', 'refused-by-authentication', 'refused-by-authentication']);
    assert.equal(success.outcome, 'accepted');
    // The detector's view: the failures and the success, each naming the account and the client address.
    const search = await awaitMarker(source, since, `connection authorized: user=${server.user}`, 5000);
    assert.equal(search.found.length, 1, 'the success is in the log');
    assert.deepEqual(search.found[0].addresses, ['127.0.0.1']);
    const failuresLogged = (await source.readSince(since)).split('\n').filter((line) => line.includes(`password authentication failed for user "${server.user}"`));
    assert.equal(failuresLogged.length, 3, failuresLogged.join('\n'));

    const bounded = await bruteForce(intrusive, { user: server.user, password: server.password }, 1000);
    assert.equal(bounded.failures.length, MAX_DETONATION_LOGINS - 1, 'never more than the bound, the success included');
  } finally {
    await server.stop();
  }
});
