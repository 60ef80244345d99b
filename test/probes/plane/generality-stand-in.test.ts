/**
 * Resource shapes the first stand-in cases were not built for (paged lists, a failing page, rules
 * that open IPv4 only together, ...), read through the official SDKs against the Azure stand-in over
 * HTTPS and judged: none of them may pass the control it is about.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AzureStandIn } from '../../../src/lab/azure-stand-in/azure-stand-in.js';
import { mysqlServerId, PG_DEFENDER_DISAGREES_ID, pgServerId } from '../../../src/lab/azure-stand-in/stand-in-fleet.js';
import { decideControl, observeWith } from '../../../src/probes/control-observation.js';
import type { ProfileName } from '../../../src/targets/target.js';
import { PLANE_CHECKS } from '../../../src/probes/plane/plane-checks.js';
import { contextFor, standInTarget } from './plane-target.js';

let standIn: AzureStandIn;
before(async () => {
  standIn = await AzureStandIn.start();
});
after(async () => {
  await standIn?.stop();
});

type Outcome = 'passed' | 'failed' | 'undecided' | 'skipped';

async function decide(controlId: string, resourceId: string, profile: ProfileName = 'strict'): Promise<{ verdict: Outcome; reason: string }> {
  const check = PLANE_CHECKS.find((each) => each.id === controlId);
  assert.ok(check, `a check for ${controlId}`);
  const context = contextFor(standInTarget(standIn, resourceId, { profile }));
  return decideControl(check, await observeWith(check, context), context.target);
}

describe('plane controls on shapes the first stand-in cases did not cover', () => {
  const cases: Array<[string, string, ProfileName, string, Outcome, RegExp]> = [
    ['four quarter-of-IPv4 rules', pgServerId('pg-firewall-split-ipv4'), 'baseline', 'network.no-open-firewall', 'failed', /4 firewall rules .* together admit 4,294,967,295 addresses/],
    ['an open rule on the third page of the list', pgServerId('pg-firewall-paged'), 'baseline', 'network.no-open-firewall', 'failed', /1 of 3 firewall rules .*everyone \(0\.0\.0\.0-255\.255\.255\.255/],
    ["an SDK-paged list whose nextLink points at another host: the token is not sent there", pgServerId('pg-firewall-foreign-next-link'), 'baseline', 'network.no-open-firewall', 'undecided', /refused to send the ARM token to https:\/\/collector\.example/],
    ['a list whose second page fails', pgServerId('pg-firewall-page-fails'), 'baseline', 'network.no-open-firewall', 'undecided', /could not read the firewall rules of pg-firewall-page-fails .*HTTP 500/],
    ['an RBAC vault whose second page of role assignments grants Key Vault Administrator through a group', pgServerId('pg-vault-rbac-paged'), 'strict', 'rest.cmk-identity-permissions', 'failed', /nothing more: also granted: create.*Key Vault Administrator through Group/],
    ['an RBAC vault where the right role is assigned on another key only', pgServerId('pg-vault-rbac-other-key'), 'strict', 'rest.cmk-identity-permissions', 'failed', /8 of 10 .*not reaching the key: Key Vault Crypto Service Encryption User at .*\/keys\/another-servers-key/],
    ['a vault whose only policy for the identity is a compound one (applicationId)', pgServerId('pg-identity-compound-policy'), 'strict', 'rest.cmk-identity-permissions', 'failed', /8 of 10 .*not counted: keys get, list, wrapKey, unwrapKey only for application 7b7b7b7b/],
    ['geo-redundant backup whose geo-backup key Azure reports Invalid', pgServerId('pg-geo-key-invalid'), 'strict', 'rest.cmk-configured', 'failed', /geo-redundant backups with https:\/\/127\.0\.0\.1:\d+\/keys\/pg-geo-key-invalid-geo-key, but Azure reports that key's status as Invalid/],
    ...(['rest.cmk-key-requirements', 'rest.cmk-vault-protection', 'rest.cmk-identity-permissions', 'rest.cmk-rotation', 'rest.cmk-vault-audited'] as const).map(
      (control): [string, string, ProfileName, string, Outcome, RegExp] => [`geo-redundant backup with no geo-backup key named: ${control} does not pass on the primary key alone`, pgServerId('pg-geo-key-unnamed'), 'strict', control, 'undecided', /keeps geo-redundant backups, but ARM names no geo-backup key/],
    ),
    ['the compliant MySQL server, its geo-backup key named', mysqlServerId('mysql-compliant'), 'strict', 'rest.cmk-configured', 'passed', /its geo-redundant backups with https:\/\/127\.0\.0\.1:\d+\/keys\/mysql-compliant-geo-key/],
    ['a server whose own threat protection is Disabled under a Standard plan', PG_DEFENDER_DISAGREES_ID, 'baseline', 'threat.defender-enabled', 'failed', /the subscription's OpenSourceRelationalDatabases plan is Standard; the server's advanced threat protection is Disabled \(the plan and the server disagree/],
    ['diagnostic settings served a page each, the exporting one on the second page', pgServerId('pg-logs-paged'), 'strict', 'audit.logs-exported', 'passed', /^2 diagnostic settings of pg-logs-paged .* read; PostgreSQLLogs exported by server-logs/],
    ["a rotation policy whose only Rotate fires 'before expiry' on versions that never expire", pgServerId('pg-rotation-never-fires'), 'strict', 'rest.cmk-rotation', 'failed', /Rotate action that never fires on its own \(Rotate P30D before expiry; new versions expire never/],
    ['diagnostic settings whose nextLink points at another host', pgServerId('pg-logs-foreign-next-link'), 'strict', 'audit.logs-exported', 'undecided', /page 2 is at https:\/\/collector\.example, not Azure stand-in .*it was not followed, so the list was not read to its end/],
    ['a compliant key, but a 1024-bit geo-backup key', pgServerId('pg-geo-key-too-small'), 'strict', 'rest.cmk-key-requirements', 'failed', /1 of 12 key requirements fail for .* and the geo-backup key .*weak-geo-key: geo-backup key: key size: 1024 bits/],
    ['a compliant key, but a 1024-bit geo-backup key', pgServerId('pg-geo-key-too-small'), 'strict', 'rest.cmk-vault-protection', 'passed', /all 9 vault requirements hold/],
    ['a geo-backup key the identity may not unwrap', pgServerId('pg-geo-identity-no-unwrap'), 'strict', 'rest.cmk-identity-permissions', 'failed', /1 of 10 identity permission requirements fail .*geo-backup key: identity may unwrapKey/],
    ['a geo-backup key whose rotation policy only notifies', pgServerId('pg-geo-key-not-rotated'), 'strict', 'rest.cmk-rotation', 'failed', /the rotation policy of https:\/\/127\.0\.0\.1:\d+\/keys\/pg-geo-key-not-rotated-notify-geo-key .* has no automatic Rotate action/],
    ['a geo-backup key in a vault with no diagnostic setting', pgServerId('pg-geo-vault-not-audited'), 'strict', 'rest.cmk-vault-audited', 'failed', /^the geo-backup vault pg-vault-no-audit .* has no diagnostic setting/],
    ['the compliant server, its geo-backup key in the same audited vault', pgServerId('pg-compliant'), 'strict', 'rest.cmk-vault-audited', 'passed', /^1 diagnostic settings of the vault pg-vault .* sends AuditEvent/],
    ["a server whose own location ARM does not report, with a replica in westus", pgServerId('pg-location-unreported'), 'strict', 'backup.read-replica', 'undecided', /server's own region is not reported, so whether any is in another region cannot be told/],
    ['a MySQL server exporting its slow log, its audit log listed but not enabled', mysqlServerId('mysql-logs-slow-only'), 'strict', 'audit.logs-exported', 'failed', /MySqlAuditLogs \(or the audit\/allLogs group\) is exported to a destination by none of the 1 diagnostic settings.*though MySqlSlowLogs is/],
    ['the compliant MySQL server, both logs exported', mysqlServerId('mysql-compliant'), 'strict', 'audit.logs-exported', 'passed', /MySqlAuditLogs exported by server-logs .*MySqlSlowLogs exported by server-logs/],
    ['SameZone high availability on a server in zone 1', pgServerId('pg-ha-same-zone'), 'strict', 'backup.high-availability', 'failed', /SameZone .* sits in availability zone 1, so its region has zones/],
    ['a server whose one replica elsewhere is Broken', pgServerId('pg-replica-broken'), 'strict', 'backup.read-replica', 'failed', /1 read replicas in another region, none usable: pg-replica-broken-replica in westus \(replication Broken\)/],
    ['a server whose replica elsewhere is on the last page', pgServerId('pg-replicas-paged'), 'strict', 'backup.read-replica', 'passed', /3 read replicas .*1 usable in another region.*pg-replicas-paged-far in westus \(Ready/],
    ['a server whose replica list fails on its second page', pgServerId('pg-replicas-page-fails'), 'strict', 'backup.read-replica', 'undecided', /could not read the read replicas of pg-replicas-page-fails \(page 2\) .*HTTP 500/],
    ['the compliant server, its replica Ready', pgServerId('pg-compliant'), 'strict', 'backup.read-replica', 'passed', /1 usable in another region: pg-replica in westus \(Ready/],
  ];
  for (const [label, resourceId, profile, controlId, expected, reason] of cases) {
    test(`${controlId} on ${label} (${profile}): ${expected}`, async () => {
      const result = await decide(controlId, resourceId, profile);
      assert.equal(result.verdict, expected, result.reason);
      assert.match(result.reason, reason);
    });
  }

  test('the paged lists were really served in pages, and every page was asked for', () => {
    for (const list of [/pg-logs-paged\/providers\/Microsoft\.Insights\/diagnosticSettings$/i, /pg-firewall-paged\/firewallRules$/i, /pg-replicas-paged\/replicas$/i, /pg-vault-rbac-paged\/providers\/Microsoft\.Authorization\/roleAssignments$/i]) {
      const pages = standIn.requests.filter((request) => request.service === 'arm' && list.test(request.path));
      assert.equal(new Set(pages.map((page) => page.status)).size, 1, JSON.stringify(pages));
      assert.ok(pages.length >= 2, `${list}: ${JSON.stringify(pages)}`);
    }
  });
});
