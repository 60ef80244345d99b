/**
 * Every plane check, read through the official SDKs against the Azure stand-in (HTTPS, lab CA,
 * tokens from the stand-in's token endpoint, Key Vault's 401 challenge), then judged: the compliant
 * servers pass, each derived failing case fails the control it breaks, and nothing else.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AzureStandIn } from '../../../src/lab/azure-stand-in/azure-stand-in.js';
import { mysqlServerId, pgServerId } from '../../../src/lab/azure-stand-in/stand-in-fleet.js';
import type { Check } from '../../../src/probes/check.js';
import { observeWith } from '../../../src/probes/control-observation.js';
import type { ProfileName } from '../../../src/targets/target.js';
import { PLANE_CHECKS } from '../../../src/probes/plane/plane-checks.js';
import { contextFor, standInTarget } from './plane-target.js';
import type { TargetContext } from '../../../src/probes/target-context.js';

let standIn: AzureStandIn;
before(async () => {
  standIn = await AzureStandIn.start();
});
after(async () => {
  await standIn?.stop();
});

type Outcome = 'passed' | 'failed' | 'undecided' | 'skipped';

async function decide(check: Check<any>, context: TargetContext): Promise<{ verdict: Outcome; reason: string; evidence?: unknown }> {
  const observation = await observeWith(check, context);
  if (observation.kind === 'nothing-to-judge') return { verdict: 'skipped', reason: observation.reason };
  if (observation.kind === 'unobservable') return { verdict: 'undecided', reason: observation.reason };
  return { ...check.judge(observation.evidence, context.target), evidence: observation.evidence };
}

const byId = (id: string) => {
  const check = PLANE_CHECKS.find((each) => each.id === id);
  assert.ok(check, `a check for ${id}`);
  return check;
};

async function verdicts(resourceId: string, profile: ProfileName = 'strict') {
  const context = contextFor(standInTarget(standIn, resourceId, { profile }));
  const entries = await Promise.all(PLANE_CHECKS.map(async (check) => [check.id, await decide(check, context)] as const));
  return Object.fromEntries(entries);
}

describe('plane checks on the Azure stand-in', () => {
  test('the compliant PostgreSQL server passes every plane control in strict, read through the real SDKs', async () => {
    const results = await verdicts(pgServerId('pg-compliant'));
    for (const [id, result] of Object.entries(results)) assert.equal(result.verdict, 'passed', `${id}: ${result.reason}`);
    assert.match(results['rest.cmk-key-requirements'].reason, /all 12 key requirements hold.*key size: 2048 bits.*geo-backup key: key size: 2048 bits/);
    assert.match(results['threat.defender-enabled'].reason, /1 Defender alerts name the server \(SQL\.PostgreSQL_BruteForce High Active\)/);
    assert.match(results['backup.retention'].reason, /Azure stand-in at https:\/\/127\.0\.0\.1:\d+ \(not Azure\)/);
    const vaultRequests = standIn.requests.filter((request) => request.service === 'pg-vault');
    assert.equal(vaultRequests[0]?.status, 401, 'Key Vault answered the first request with its challenge');
    assert.ok(vaultRequests.slice(1).some((request) => request.status === 200 && /\/keys\/pg-compliant-key/.test(request.path)), 'then served the key to the token the challenge led to');
  });

  test('a compliant server whose vault uses Azure RBAC passes every plane control: the role assignment is read and expanded', async () => {
    const results = await verdicts(pgServerId('pg-vault-rbac'));
    for (const [id, result] of Object.entries(results)) assert.equal(result.verdict, 'passed', `${id}: ${result.reason}`);
    assert.match(results['rest.cmk-identity-permissions'].reason, /Azure RBAC roles on the vault: Key Vault Crypto Service Encryption User/);
  });

  test('the compliant MySQL server passes every plane control it has in strict (values parsed as MySQL returns them)', async () => {
    const results = await verdicts(mysqlServerId('mysql-compliant'));
    for (const [id, result] of Object.entries(results)) assert.equal(result.verdict, 'passed', `${id}: ${result.reason}`);
  });

  const cases: Array<[string, string, ProfileName, string, Outcome, RegExp]> = [
    ['the official PostgreSQL example', pgServerId('exampleserver'), 'strict', 'network.public-access-disabled', 'failed', /publicNetworkAccess is Enabled/],
    ['the official PostgreSQL example', pgServerId('exampleserver'), 'strict', 'rest.cmk-configured', 'failed', /service-managed key \(dataEncryption SystemManaged\)/],
    ['the official PostgreSQL example', pgServerId('exampleserver'), 'strict', 'rest.cmk-key-requirements', 'skipped', /uses no customer-managed key/],
    ['the official PostgreSQL example', pgServerId('exampleserver'), 'baseline', 'backup.retention', 'passed', /kept 7 days, at least the 7/],
    ['the official PostgreSQL example', pgServerId('exampleserver'), 'strict', 'backup.retention', 'failed', /kept 7 days, fewer than the 35/],
    ['the official PostgreSQL example', pgServerId('exampleserver'), 'strict', 'backup.geo-redundant', 'passed', /Enabled/],
    ['the official PostgreSQL example', pgServerId('exampleserver'), 'strict', 'backup.high-availability', 'failed', /high availability is Disabled/],
    ['the official PostgreSQL example', pgServerId('exampleserver'), 'strict', 'threat.defender-enabled', 'failed', /OpenSourceRelationalDatabases plan is Free; the server's advanced threat protection is Disabled/],
    ['key too small', pgServerId('pg-key-too-small'), 'strict', 'rest.cmk-key-requirements', 'failed', /1 of 12 key requirements fail.*: key size: 1024 bits/],
    ['key too small', pgServerId('pg-key-too-small'), 'strict', 'rest.cmk-vault-protection', 'passed', /all 9 vault requirements hold/],
    ['key expiring', pgServerId('pg-key-expiring'), 'strict', 'rest.cmk-key-requirements', 'failed', /expiry date: 20\d\d-/],
    ['key disabled', pgServerId('pg-key-disabled'), 'strict', 'rest.cmk-key-requirements', 'failed', /enabled: false/],
    ['vault without purge protection', pgServerId('pg-vault-no-purge-protection'), 'strict', 'rest.cmk-vault-protection', 'failed', /purge protection: absent \(off\)/],
    ['vault without purge protection', pgServerId('pg-vault-no-purge-protection'), 'strict', 'rest.cmk-key-requirements', 'failed', /recovery level: Recoverable\+Purgeable/],
    ['vault in another region', pgServerId('pg-vault-other-region'), 'strict', 'rest.cmk-vault-protection', 'failed', /1 of 9 .*same region: westus/],
    ['vault in another tenant', pgServerId('pg-vault-other-tenant'), 'strict', 'rest.cmk-vault-protection', 'failed', /2 of 9 .*same tenant: 11111111.*geo-backup key: same tenant: 11111111/],
    ['identity lacking unwrapKey', pgServerId('pg-identity-no-unwrap'), 'strict', 'rest.cmk-identity-permissions', 'failed', /2 of 10 identity permission requirements fail.*identity may unwrapKey.*geo-backup key: identity may unwrapKey/],
    ['no rotation policy', pgServerId('pg-no-rotation-policy'), 'strict', 'rest.cmk-rotation', 'failed', /no automatic Rotate action \(Notify P30D before expiry\)/],
    ['vault not audited', pgServerId('pg-vault-not-audited'), 'strict', 'rest.cmk-vault-audited', 'failed', /has no diagnostic setting/],
    ['public access enabled', pgServerId('pg-public-access'), 'strict', 'network.public-access-disabled', 'failed', /publicNetworkAccess is Enabled/],
    ['public access enabled', pgServerId('pg-public-access'), 'baseline', 'network.no-open-firewall', 'passed', /0 firewall rules read/],
    ['a 0.0.0.0 rule', pgServerId('pg-firewall-azure-services'), 'baseline', 'network.no-open-firewall', 'failed', /AllowAllAzureServicesAndResourcesWithinAzureIps \(0\.0\.0\.0-0\.0\.0\.0.*"allow all Azure services"/],
    ['a whole-IPv4 rule (the official example)', pgServerId('pg-firewall-whole-ipv4'), 'baseline', 'network.no-open-firewall', 'failed', /2 of 2 firewall rules .*examplefirewallrule1 \(0\.0\.0\.0-255\.255\.255\.255.*examplefirewallrule2 \(1\.0\.0\.0-255\.0\.0\.0/],
    ['a 0.0.0.0 rule on MySQL', mysqlServerId('mysql-firewall-azure-services'), 'baseline', 'network.no-open-firewall', 'failed', /AllowAllWindowsAzureIps/],
    ['the official MySQL example rules', mysqlServerId('mysqltestserver'), 'baseline', 'network.no-open-firewall', 'failed', /rule1 \(0\.0\.0\.0-255\.255\.255\.255/],
    ['retention 6 days', pgServerId('pg-retention-6'), 'baseline', 'backup.retention', 'failed', /kept 6 days, fewer than the 7/],
    ['retention 7 days', pgServerId('pg-retention-7'), 'baseline', 'backup.retention', 'passed', /kept 7 days, at least the 7/],
    ['retention 7 days', pgServerId('pg-retention-7'), 'strict', 'backup.retention', 'failed', /kept 7 days, fewer than the 35/],
    ['geo-redundant backup off', pgServerId('pg-geo-off'), 'strict', 'backup.geo-redundant', 'failed', /geo-redundant backup is Disabled/],
    ['a read replica', pgServerId('pg-replica'), 'strict', 'backup.geo-redundant', 'skipped', /is a read replica \(AsyncReplica of pg-compliant\)/],
    ['a read replica', pgServerId('pg-replica'), 'strict', 'backup.read-replica', 'skipped', /itself a read replica/],
    ['no high availability', pgServerId('pg-no-ha'), 'strict', 'backup.high-availability', 'failed', /Disabled/],
    ['no read replica', pgServerId('pg-no-replica'), 'strict', 'backup.read-replica', 'failed', /has no read replica/],
    ['logs not exported', pgServerId('pg-logs-not-exported'), 'strict', 'audit.logs-exported', 'failed', /has no diagnostic setting/],
    ['Defender off', pgServerId('pg-defender-off'), 'baseline', 'threat.defender-enabled', 'failed', /plan is Free; the server's advanced threat protection is Disabled/],
    ['Defender off on MySQL', mysqlServerId('mysql-defender-off'), 'baseline', 'threat.defender-enabled', 'failed', /Disabled/],
    ['the official MySQL example (no dataEncryption in its body)', mysqlServerId('mysqltestserver'), 'strict', 'rest.cmk-configured', 'undecided', /reports no dataEncryption/],
    ['MySQL key expiring', mysqlServerId('mysql-key-expiring'), 'strict', 'rest.cmk-key-requirements', 'failed', /expiry date/],
    // Exporting a log the server never writes keeps nothing: the switches that write them are read too.
    ['MySQL audit log exported but not written', mysqlServerId('mysql-audit-log-off'), 'strict', 'audit.logs-exported', 'failed', /audit_log_enabled is OFF/],
    ['MySQL slow log exported but not written', mysqlServerId('mysql-slow-log-off'), 'strict', 'audit.logs-exported', 'failed', /slow_query_log is OFF/],
    ['MySQL audit log set ON, pending a restart', mysqlServerId('mysql-audit-log-pending-restart'), 'strict', 'audit.logs-exported', 'undecided', /audit_log_enabled ON is pending a restart/],
    ['the compliant MySQL server, both logs written and exported', mysqlServerId('mysql-compliant'), 'strict', 'audit.logs-exported', 'passed', /written \(audit_log_enabled ON, slow_query_log ON\)/],
    // A key URI with a version stays on that version: Key Vault's rotations never reach the server.
    ['the compliant server, its key URIs versionless', pgServerId('pg-compliant'), 'strict', 'rest.cmk-rotation', 'passed', /names the key without a version, so it follows each new one.*geo-redundant backup names the key without a version/],
    ['a key URI pinned to the current version', pgServerId('pg-key-pinned-current'), 'strict', 'rest.cmk-rotation', 'failed', /pg-key-pinned-current is pinned to version 78deebed173b48e48f55abf87ed4cf71 of .*pg-key-pinned-current-key\/78deebed173b48e48f55abf87ed4cf71 .*, the current one today: .*rotations never reach the server/],
    ['a geo-backup key URI pinned to the current version', pgServerId('pg-geo-key-pinned-current'), 'strict', 'rest.cmk-rotation', 'failed', /pg-geo-key-pinned-current's geo-redundant backup is pinned to version 78deebed173b48e48f55abf87ed4cf71/],
    // The key named, but the server cannot reach it: not under the customer's key in any useful sense.
    ['a server Inaccessible for its key', pgServerId('pg-key-inaccessible'), 'strict', 'rest.cmk-configured', 'failed', /reports the server Inaccessible/],
    ['a MySQL server Inaccessible for its key', mysqlServerId('mysql-key-inaccessible'), 'strict', 'rest.cmk-configured', 'failed', /reports the server Inaccessible/],
  ];
  for (const [label, resourceId, profile, controlId, expected, reason] of cases) {
    test(`${controlId} on ${label} (${profile}): ${expected}`, async () => {
      const result = await decide(byId(controlId), contextFor(standInTarget(standIn, resourceId, { profile })));
      assert.equal(result.verdict, expected, result.reason);
      assert.match(result.reason, reason);
    });
  }

  test('each failing case fails only the control it breaks', async () => {
    const expectations: Array<[string, string]> = [
      [pgServerId('pg-key-too-small'), 'rest.cmk-key-requirements'],
      [pgServerId('pg-vault-other-region'), 'rest.cmk-vault-protection'],
      [pgServerId('pg-identity-no-unwrap'), 'rest.cmk-identity-permissions'],
      [pgServerId('pg-no-rotation-policy'), 'rest.cmk-rotation'],
      [pgServerId('pg-geo-off'), 'backup.geo-redundant'],
      [pgServerId('pg-no-ha'), 'backup.high-availability'],
      [pgServerId('pg-defender-off'), 'threat.defender-enabled'],
      [pgServerId('pg-retention-6'), 'backup.retention'],
      [pgServerId('pg-logs-not-exported'), 'audit.logs-exported'],
      [pgServerId('pg-vault-not-audited'), 'rest.cmk-vault-audited'],
      [pgServerId('pg-key-pinned-current'), 'rest.cmk-rotation'],
      [pgServerId('pg-geo-key-pinned-current'), 'rest.cmk-rotation'],
      [pgServerId('pg-key-inaccessible'), 'rest.cmk-configured'],
      [mysqlServerId('mysql-key-inaccessible'), 'rest.cmk-configured'],
      [mysqlServerId('mysql-audit-log-off'), 'audit.logs-exported'],
      [mysqlServerId('mysql-slow-log-off'), 'audit.logs-exported'],
      [mysqlServerId('mysql-audit-log-pending-restart'), 'audit.logs-exported'],
    ];
    for (const [resourceId, broken] of expectations) {
      const results = await verdicts(resourceId);
      const failing = Object.entries(results).filter(([, result]) => result.verdict !== 'passed').map(([id]) => id);
      assert.deepEqual(failing, [broken], `${resourceId}: ${failing.map((id) => `${id}: ${results[id].reason}`).join(' | ')}`);
    }
  });

  test('the private endpoint cases pass every plane control: they break only network.private-endpoint (test/probes/network/private-endpoint-stand-in)', async () => {
    for (const resourceId of [pgServerId('pg-private-endpoint-pending'), mysqlServerId('mysql-private-endpoint-rejected')]) {
      const results = await verdicts(resourceId);
      for (const [id, result] of Object.entries(results)) assert.equal(result.verdict, 'passed', `${resourceId} ${id}: ${result.reason}`);
    }
  });

  test('the TLS floors pending a restart pass every plane control: no plane control reads them, only the configuration comparison (test/probes/plane/configuration-vs-behaviour)', async () => {
    for (const resourceId of [pgServerId('pg-tls-floor-pending-restart'), mysqlServerId('mysql-tls-version-pending-restart')]) {
      const results = await verdicts(resourceId);
      for (const [id, result] of Object.entries(results)) assert.equal(result.verdict, 'passed', `${resourceId} ${id}: ${result.reason}`);
    }
  });

  test('a principal without Reader leaves every plane control undecided, naming the missing role', async () => {
    const context = contextFor(standInTarget(standIn, pgServerId('pg-compliant'), { roles: { armReader: false, vaultReader: true } }));
    for (const check of PLANE_CHECKS) {
      const result = await decide(check, context);
      assert.equal(result.verdict, 'undecided', `${check.id}: ${result.reason}`);
      if (check.id !== 'threat.defender-enabled') assert.match(result.reason, /HTTP 403 AuthorizationFailed\): the principal lacks the role (Reader|Monitoring Reader)/, check.id);
    }
  });

  test('a principal that may not read keys leaves the key controls undecided, naming Key Vault Crypto User', async () => {
    const context = contextFor(standInTarget(standIn, pgServerId('pg-compliant'), { roles: { armReader: true, vaultReader: false } }));
    const result = await decide(byId('rest.cmk-key-requirements'), context);
    assert.equal(result.verdict, 'undecided', result.reason);
    assert.match(result.reason, /HTTP 403 Forbidden\): the principal lacks the role Key Vault Crypto User/);
    assert.equal((await decide(byId('backup.retention'), context)).verdict, 'passed');
  });

  test('without any Azure credential every plane control is skipped, saying so', async () => {
    const saved = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('AZURE_') || key.startsWith('IDENTITY_') || key === 'MSI_ENDPOINT'));
    for (const key of Object.keys(saved)) delete process.env[key];
    try {
      const target = standInTarget(standIn, pgServerId('pg-compliant'), { withoutSecret: true });
      const context = contextFor(target);
      for (const check of PLANE_CHECKS) {
        const result = await decide(check, context);
        assert.equal(result.verdict, 'skipped', `${check.id}: ${result.reason}`);
        assert.match(result.reason, /no Azure credentials: DefaultAzureCredential found none/);
      }
    } finally {
      Object.assign(process.env, saved);
    }
  });
});
