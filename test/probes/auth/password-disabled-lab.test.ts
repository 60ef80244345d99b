/**
 * auth.password-disabled on a real PostgreSQL server whose pg_hba refuses the declared accounts in
 * the application's database but not everywhere: pg_hba decides per database, so a refusal there
 * says nothing of the others. (Once a false pass: the auditor got into postgres with its password.)
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { APP_USER, AUDITOR_USER, MASKED_ROLE } from '../../../src/lab/fixture-accounts.js';
import { passwordDisabled } from '../../../src/probes/auth/password-logins.js';
import { decideCheck } from '../../support/decide-check.js';
import { asPostgresAdmin, prependHostBasedAuthentication } from '../../support/postgres-admin.js';
import { postgresVersionAvailability } from '../../support/postgres-versions.js';
import { SYSTEM_POSTGRES_MAJOR } from '../../../src/lab/postgres-versions.js';
import { randomBytes } from 'node:crypto';
import { AzureStandIn } from '../../../src/lab/azure-stand-in/azure-stand-in.js';
import { mysqlServerId } from '../../../src/lab/azure-stand-in/stand-in-fleet.js';
import type { Target } from '../../../src/targets/target.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';
import { standInTarget } from '../plane/plane-target.js';
import { azureClientSecretFor, rememberAzureClientSecret } from '../../../src/targets/secret-store.js';

after(() => stopAllLocalServers());

const decide = async (server: LocalServer, name: string) => (await decideCheck(passwordDisabled, targetForLocalServer(name, server, 'strict'))).decision;

const availability = postgresVersionAvailability();

// Debian's 15, and the oldest and newest pinned builds: pg_hba's wording and matching differ across them.
for (const major of [SYSTEM_POSTGRES_MAJOR, 13, 18]) {
  const skip = major !== SYSTEM_POSTGRES_MAJOR && !availability.present.includes(major) ? availability.message ?? `PostgreSQL ${major} is not pinned` : undefined;
  const start = () => startLocalServer('postgres', 'hardened', { mode: 'process', ...(major === SYSTEM_POSTGRES_MAJOR ? {} : { postgresVersion: major }) });

  test(`PostgreSQL ${major}: every declared account refused in the application database, the auditor let into postgres with its password: failed`, { skip }, async () => {
    const server = await start();
    await prependHostBasedAuthentication(server, [
      `host all ${APP_USER} 0.0.0.0/0 reject`,
      `host all ${MASKED_ROLE} 0.0.0.0/0 reject`,
      `host postgres ${AUDITOR_USER} 0.0.0.0/0 scram-sha-256`,
      `host all ${AUDITOR_USER} 0.0.0.0/0 reject`,
    ]);
    const decision = await decide(server, `pg${major}-password-elsewhere`);
    assert.equal(decision.verdict, 'failed', decision.reason);
    assert.match(decision.reason, new RegExp(`"${AUDITOR_USER}" into postgres over`));
  });

  test(`PostgreSQL ${major}: the application account let in only to a database the fixtures never make, and only without TLS: failed, naming it`, { skip }, async () => {
    const server = await start();
    await asPostgresAdmin(server, [`CREATE DATABASE sales`, `GRANT CONNECT ON DATABASE sales TO ${APP_USER}`]);
    await prependHostBasedAuthentication(server, [`hostnossl sales ${APP_USER} 0.0.0.0/0 scram-sha-256`, `host all ${APP_USER} 0.0.0.0/0 reject`, `host replication ${APP_USER} 0.0.0.0/0 reject`]);
    const decision = await decide(server, `pg${major}-password-sales`);
    assert.equal(decision.verdict, 'failed', decision.reason);
    assert.match(decision.reason, new RegExp(`"${APP_USER}" into sales over plaintext`));
  });

  test(`PostgreSQL ${major}: every declared account refused everywhere: the other databases cannot be listed without a login, so undecided, never passed`, { skip }, async () => {
    const server = await start();
    const accounts = [APP_USER, MASKED_ROLE, AUDITOR_USER].join(',');
    await prependHostBasedAuthentication(server, [`host all ${accounts} 0.0.0.0/0 reject`, `host replication ${accounts} 0.0.0.0/0 reject`]);
    const decision = await decide(server, `pg${major}-password-nowhere`);
    assert.equal(decision.verdict, 'undecided', decision.reason);
    assert.match(decision.reason, /every password login tried was refused .* not all known/);
  });
}

/**
 * A real MariaDB whose declared passwords are outdated: each account is refused as bad credentials
 * (1045), exactly as a server that disabled password logins would refuse it. Once a false pass.
 * The refusal alone now leaves the control undecided; Azure's aad_auth_only (the stand-in's, read
 * through the real SDK) decides it either way, unless it is pending a restart.
 */
test('MariaDB: declared passwords outdated, so every account is refused as bad credentials: undecided alone, and decided by aad_auth_only on the plane', async () => {
  const server = await startLocalServer('mysql', 'hardened', { mode: 'process' });
  const root = asMariaDbRoot(server);
  const names = [APP_USER, AUDITOR_USER, MASKED_ROLE].map((user) => `'${user}'`).join(', ');
  const accounts = (await root(`SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.user WHERE User IN (${names})`)).trim().split('\n').slice(1);
  assert.ok(accounts.length >= 3, accounts.join('; '));
  for (const account of accounts) await root(`ALTER USER ${account} IDENTIFIED VIA ed25519 USING PASSWORD('rotated-${randomBytes(9).toString('hex')}')`);
  const target = targetForLocalServer('maria-password-outdated', server, 'strict');

  const alone = (await decideCheck(passwordDisabled, target)).decision;
  assert.equal(alone.verdict, 'undecided', alone.reason);
  assert.match(alone.reason, /all 3 declared local accounts .* were refused with the declared password.*refused as bad credentials, the same answer a wrong or outdated declared password gets/);

  const standIn = await AzureStandIn.start();
  try {
    const resourceId = mysqlServerId('mysql-compliant');
    // The same target (its declared passwords are remembered under its name), now with its Azure resource.
    const planeOnly = standInTarget(standIn, resourceId);
    rememberAzureClientSecret(target.name, azureClientSecretFor(planeOnly.name)!);
    const onPlane = (): Target => ({ ...target, azure: planeOnly.azure });
    const off = (await decideCheck(passwordDisabled, onPlane())).decision;
    assert.equal(off.verdict, 'failed', off.reason);
    assert.match(off.reason, /Azure stand-in.* reports password authentication allowed \(aad_auth_only OFF\)/);

    const parameter = standIn.fleet.arm.get(`${resourceId}/configurations/aad_auth_only`);
    assert.equal(parameter?.kind, 'resource');
    (parameter as { body: { properties: { value: string } } }).body.properties.value = 'ON';
    const on = (await decideCheck(passwordDisabled, onPlane())).decision;
    assert.equal(on.verdict, 'passed', on.reason);
    assert.match(on.reason, /reports Entra-only authentication \(aad_auth_only ON\)/);

    // Set ON but waiting for a restart: what the server enforces now is not what Azure's value says. Once a false pass.
    (parameter as { body: { properties: Record<string, string> } }).body.properties.isConfigPendingRestart = 'True';
    // Three rounds of refused logins have used up the hardened lab's max_password_errors=3: unblock the accounts.
    await root('FLUSH PRIVILEGES');
    const pending = (await decideCheck(passwordDisabled, onPlane())).decision;
    assert.equal(pending.verdict, 'undecided', pending.reason);
    assert.match(pending.reason, /refused as bad credentials.* reports aad_auth_only ON pending a restart \(isConfigPendingRestart True\), so it does not show what the server enforces now/);
  } finally {
    await standIn.stop();
  }
});
