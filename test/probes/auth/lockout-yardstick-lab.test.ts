/**
 * auth.lockout tells a deliberate delay from a slow server only by a successful login beside the
 * refusals. Without one (no application password declared), slow refusals were passed on the
 * threshold alone, and a lab server with no delay at all passed that way on a loaded machine
 * (five refusals in 252-344 ms). A real hardened PostgreSQL (auth_delay): with the application's
 * password the delay is shown and passes; without it the control is undecided and says what to declare.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { lockout } from '../../../src/probes/auth/lockout.js';
import type { Check } from '../../../src/probes/check.js';
import type { Target } from '../../../src/targets/target.js';
import { decide, labTarget } from '../audit/data-plane-checks-lab.js';

installCleanupOnSignals();
after(stopAllLocalServers);

describe('auth.lockout needs a successful login to compare slow refusals with (real PostgreSQL with auth_delay)', () => {
  let target: Target;

  before(async () => {
    ({ target } = await labTarget('postgres', 'hardened'));
  });

  test("with the application account's password, each delayed refusal is set beside its login and passes", async () => {
    const decided = await decide(lockout as Check<unknown>, target);
    assert.equal(decided.verdict, 'passed', decided.reason);
    assert.match(decided.reason, /the application account's right password, at the same moments, took/);
  });

  test('without an application account, the same delayed refusals are undecided, not passed on the threshold alone', async () => {
    const decided = await decide(lockout as Check<unknown>, { ...target, user: undefined });
    assert.equal(decided.verdict, 'undecided', decided.reason);
    assert.match(decided.reason, /no successful login was made to compare them with, so a deliberate delay cannot be told from a slow or busy server/);
  });
});
