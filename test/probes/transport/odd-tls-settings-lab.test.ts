/**
 * The transport controls against the machine's real PostgreSQL with TLS settings the fixtures never
 * use, changed as superuser and reloaded, each compared with what `openssl s_client` found the
 * server to accept (noted per test).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { CHECKS } from '../../../src/probes/checks.js';
import type { Check } from '../../../src/probes/check.js';
import type { ControlId } from '../../../src/controls/catalogue.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import { reloadLabPostgres } from '../../support/postgres-admin.js';
import { postgresVersionAvailability } from '../../support/postgres-versions.js';
import { decide, labTarget } from '../audit/data-plane-checks-lab.js';

installCleanupOnSignals();
after(stopAllLocalServers);

const availability = postgresVersionAvailability();
const check = (id: ControlId) => CHECKS[id] as Check<unknown>;

test('ssl_ecdh_curve = secp224r1 (openssl s_client -tls1_2 -groups secp224r1 gets in): tls1.2 passed, the certificate is read, strong-ciphers fails on the curve', async () => {
  const { server, target } = await labTarget('postgres', 'hardened');
  try {
    await reloadLabPostgres(server, ["ALTER SYSTEM SET ssl_ecdh_curve = 'secp224r1'"]);
    const context = new TargetContext(target);
    const tls12 = await decide(check('transport.tls1.2'), target, context);
    assert.equal(tls12.verdict, 'passed', tls12.reason);
    const key = await decide(check('transport.cert-key'), target, context);
    assert.equal(key.verdict, 'passed', key.reason);
    const ciphers = await decide(check('transport.strong-ciphers'), target, context);
    assert.equal(ciphers.verdict, 'failed', ciphers.reason);
    assert.match(ciphers.reason, /secp224r1/);
  } finally {
    await server.stop();
  }
});

describe('PostgreSQL 16 (OpenSSL 1.1.1, which still has SEED) accepting TLS 1.0 and 1.1 with SEED suites only', { skip: availability.present.includes(16) ? false : availability.message }, () => {
  // openssl s_client -provider legacy -provider default -tls1 -cipher 'SEED:@SECLEVEL=0' negotiates
  // TLSv1 DHE-RSA-SEED-SHA; our OpenSSL 3 client offers no SEED, so its handshakes end in handshake_failure.
  test('no-tls1.0 and no-tls1.1 fail, tls1.2 passes, as the cipher scan saw them accepted', async () => {
    const { server, target } = await labTarget('postgres', 'tls1.0-enabled', 16);
    try {
      await reloadLabPostgres(server, ["ALTER SYSTEM SET ssl_ciphers = 'DHE-RSA-SEED-SHA:SEED-SHA'"]);
      const context = new TargetContext(target);
      for (const id of ['transport.no-tls1.0', 'transport.no-tls1.1'] as const) {
        const decided = await decide(check(id), target, context);
        assert.equal(decided.verdict, 'failed', `${id}: ${decided.reason}`);
        assert.match(decided.reason, /cipher scan negotiated TLS 1\.[01] with TLS_DHE_RSA_WITH_SEED_CBC_SHA/);
      }
      const tls12 = await decide(check('transport.tls1.2'), target, context);
      assert.equal(tls12.verdict, 'passed', tls12.reason);
    } finally {
      await server.stop();
    }
  });
});

describe('PostgreSQL 18 with ssl_tls13_ciphers limited to a CCM suite', { skip: availability.present.includes(18) ? false : availability.message }, () => {
  // openssl s_client -tls1_3 -ciphersuites TLS_AES_128_CCM_SHA256 gets in; Node's default TLS 1.3 suites
  // leave CCM out, and the server picks TLS 1.3 for a client that offers it, so our logins were refused.
  test('tls-required passed (a TLS login proceeds), tls1.3 passed, strong-ciphers lists the CCM suite', async () => {
    const { server, target } = await labTarget('postgres', 'hardened', 18);
    try {
      for (const suite of ['TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']) {
        await reloadLabPostgres(server, [`ALTER SYSTEM SET ssl_tls13_ciphers = '${suite}'`]);
        const context = new TargetContext(target);
        const required = await decide(check('transport.tls-required'), target, context);
        assert.equal(required.verdict, 'passed', `${suite}: ${required.reason}`);
        const tls13 = await decide(check('transport.tls1.3'), target, context);
        assert.equal(tls13.verdict, 'passed', `${suite}: ${tls13.reason}`);
        const ciphers = await decide(check('transport.strong-ciphers'), target, context);
        assert.match(ciphers.reason, new RegExp(`TLS 1\\.3: ${suite}[;)]`));
      }
    } finally {
      await server.stop();
    }
  });
});
