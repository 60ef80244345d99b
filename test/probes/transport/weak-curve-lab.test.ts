/**
 * transport.strong-ciphers against real PostgreSQL servers whose ECDHE groups the fixtures never
 * set: PostgreSQL 18's ssl_groups may list a small curve behind a strong one. Our hello offers
 * strong curves first, so the enumeration only ever sees the strong one; the weak-curve probe (a
 * hello with only curves below 256 bits) is what finds the small one. Changed as superuser, judged,
 * and undone.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { CHECKS } from '../../../src/probes/checks.js';
import type { Check } from '../../../src/probes/check.js';
import { reloadLabPostgres } from '../../support/postgres-admin.js';
import { postgresVersionAvailability } from '../../support/postgres-versions.js';
import { decide, labTarget } from '../audit/data-plane-checks-lab.js';

installCleanupOnSignals();
after(stopAllLocalServers);

const strongCiphers = CHECKS['transport.strong-ciphers'] as Check<unknown>;
const availability = postgresVersionAvailability();

test('transport.strong-ciphers on the machine\'s PostgreSQL (ssl_ecdh_curve prime256v1, one curve): passed, and says small curves were refused', async () => {
  const { server, target } = await labTarget('postgres', 'hardened');
  try {
    const decided = await decide(strongCiphers, target);
    assert.equal(decided.verdict, 'passed', decided.reason);
    assert.match(decided.reason, /TLS 1\.2 refused ECDHE to a client offering only curves below 256 bits/);
  } finally {
    await server.stop();
  }
});

describe('PostgreSQL 18 ssl_groups with a small curve behind X25519', { skip: availability.present.includes(18) ? false : availability.message }, () => {
  test('transport.strong-ciphers: X25519:secp224r1 -> failed, naming secp224r1; X25519 alone -> passed again', async () => {
    const { server, target } = await labTarget('postgres', 'hardened', 18);
    try {
      await reloadLabPostgres(server, ["ALTER SYSTEM SET ssl_groups = 'X25519:secp224r1'"]);
      const weak = await decide(strongCiphers, target);
      assert.equal(weak.verdict, 'failed', weak.reason);
      assert.match(weak.reason, /TLS 1\.2 ECDHE for a client offering only curves below 256 bits: server accepted TLS_ECDHE_\w+ with secp224r1/);
      await reloadLabPostgres(server, ["ALTER SYSTEM SET ssl_groups = 'X25519'"]);
      const strong = await decide(strongCiphers, target);
      assert.equal(strong.verdict, 'passed', strong.reason);
    } finally {
      await server.stop();
    }
  });
});
