/**
 * A server with more login roles than the default bound (a stock PostgreSQL with a few dozen
 * roles has 756 paths against 600) leaves auth.scram, auth.no-passwordless and
 * transport.tls-required undecided. The reason must say which setting asks every path: the bound
 * counts both transports, so transport.tls-required's half is no guide. A real lab PostgreSQL
 * with a small bound.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { noPasswordless } from '../../../src/probes/auth/passwordless.js';
import { tlsRequired } from '../../../src/probes/transport/tls-required-check.js';
import type { Check } from '../../../src/probes/check.js';
import type { Target } from '../../../src/targets/target.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import { decide, labTarget } from '../audit/data-plane-checks-lab.js';

installCleanupOnSignals();
after(stopAllLocalServers);

describe('the login-path bound names the setting that asks every path (real PostgreSQL)', () => {
  let target: Target;

  before(async () => {
    ({ target } = await labTarget('postgres', 'hardened'));
    target = { ...target, maxLoginPaths: 4 };
  });

  test('auth.no-passwordless and transport.tls-required name the same whole-matrix bound', async () => {
    const context = new TargetContext(target);
    const whole = await decide(noPasswordless as Check<unknown>, target, context);
    const half = await decide(tlsRequired as Check<unknown>, target, context);
    assert.equal(whole.verdict, 'undecided', whole.reason);
    assert.equal(half.verdict, 'undecided', half.reason);
    const needed = /maxLoginPaths 4\); the rest are unknown: to ask them all, give this target maxLoginPaths: (\d+) in the config file \(on a --target URL: \?max-login-paths=\1\)$/;
    const [, forWhole] = needed.exec(whole.reason) ?? assert.fail(whole.reason);
    const [, forHalf] = needed.exec(half.reason) ?? assert.fail(half.reason);
    assert.equal(forHalf, forWhole);
    const planned = Number(/^only 4 of (\d+) login paths/.exec(whole.reason)?.[1]);
    assert.equal(Number(forWhole), planned, 'the whole matrix is what the bound must cover');
  });
});
