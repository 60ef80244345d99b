import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeRetention } from '../../../src/probes/backup/retention.js';
import { judgeGeoBackup, isReadReplica } from '../../../src/probes/backup/geo-redundant.js';
import { judgeHighAvailability } from '../../../src/probes/backup/high-availability.js';
import { judgeReadReplica } from '../../../src/probes/backup/read-replica.js';
import type { ProfileName } from '../../../src/targets/target.js';

const plane = 'Azure stand-in';

test('backup.retention judge: at least 7 days in baseline and 35 in strict, never a window', () => {
  const table: Array<[number | undefined, ProfileName, string]> = [
    [6, 'baseline', 'failed'], [7, 'baseline', 'passed'], [8, 'baseline', 'passed'], [35, 'baseline', 'passed'],
    [7, 'strict', 'failed'], [34, 'strict', 'failed'], [35, 'strict', 'passed'], [36, 'strict', 'passed'],
    [undefined, 'baseline', 'undecided'], [Number.NaN, 'strict', 'undecided'],
  ];
  for (const [days, profile, verdict] of table) {
    const judgement = judgeRetention({ plane, server: 's', backupRetentionDays: days }, { profile });
    assert.equal(judgement.verdict, verdict, `${days} days in ${profile}: ${judgement.reason}`);
  }
  assert.match(judgeRetention({ plane, server: 's', backupRetentionDays: 6 }, { profile: 'baseline' }).reason, /kept 6 days, fewer than the 7 the baseline profile asks/);
});

test('backup.geo-redundant judge: Enabled passes, Disabled fails, anything else is undecided; replica roles are recognised', () => {
  const table: Array<[string | undefined, string]> = [['Enabled', 'passed'], ['enabled', 'passed'], ['Disabled', 'failed'], [undefined, 'undecided'], ['Partial', 'undecided']];
  for (const [value, verdict] of table) assert.equal(judgeGeoBackup({ plane, server: 's', geoRedundantBackup: value }).verdict, verdict, String(value));
  const roles: Array<[string | undefined, boolean]> = [['AsyncReplica', true], ['GeoAsyncReplica', true], ['Replica', true], ['Primary', false], ['None', false], ['Source', false], [undefined, false]];
  for (const [role, replica] of roles) assert.equal(isReadReplica(role), replica, String(role));
});

test('backup.high-availability judge: a mode with a Healthy standby passes; Disabled or an unhealthy standby fails', () => {
  const table: Array<[string | undefined, string | undefined, string]> = [
    ['ZoneRedundant', 'Healthy', 'passed'], ['SameZone', 'Healthy', 'undecided'], ['Disabled', 'NotEnabled', 'failed'],
    ['ZoneRedundant', 'FailingOver', 'failed'], ['ZoneRedundant', undefined, 'failed'], [undefined, undefined, 'undecided'], ['Quantum', 'Healthy', 'undecided'],
  ];
  for (const [mode, state, verdict] of table) assert.equal(judgeHighAvailability({ plane, server: 's', mode, state }).verdict, verdict, `${mode}/${state}`);
});

test('backup.read-replica judge: a replica in another region passes (region names compared without case or spaces)', () => {
  const table: Array<[string | undefined, Array<{ name: string; location?: string; state?: string; replicationState?: string }>, string, RegExp]> = [
    ['eastus', [{ name: 'r', location: 'westus', state: 'Ready' }], 'passed', /1 read replicas .*1 usable in another region/],
    ['Southeast Asia', [{ name: 'r', location: 'southeastasia' }], 'failed', /none in another region/],
    ['eastus', [], 'failed', /has no read replica/],
    ['eastus', [{ name: 'r' }], 'failed', /an unreported region/],
  ];
  for (const [location, replicas, verdict, reason] of table) {
    const judgement = judgeReadReplica({ plane, server: 's', location, replicas });
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  }
});

test('backup.high-availability judge: SameZone is enough only where the region has no zones; a server placed in a zone shows that it has', () => {
  const table: Array<[string, string | undefined, string | undefined, string, RegExp]> = [
    ['SameZone', 'Healthy', '1', 'failed', /SameZone .* sits in availability zone 1, so its region has zones/],
    ['samezone', 'Healthy', '3', 'failed', /zone 3/],
    ['SameZone', 'Healthy', '', 'passed', /SameZone with a Healthy standby .*a region without zones/],
    ['SameZone', 'CreatingStandby', '', 'failed', /standby is CreatingStandby/],
    ['SameZone', 'Healthy', undefined, 'undecided', /reports no availability zone: whether its region offers zone-redundant/],
    ['ZoneRedundant', 'Healthy', '1', 'passed', /ZoneRedundant with a Healthy standby/],
    ['ZoneRedundant', 'Healthy', undefined, 'passed', /ZoneRedundant/],
  ];
  for (const [mode, state, availabilityZone, verdict, reason] of table) {
    const judgement = judgeHighAvailability({ plane, server: 's', mode, state, availabilityZone });
    assert.equal(judgement.verdict, verdict, `${mode}/${state}/${availabilityZone}: ${judgement.reason}`);
    assert.match(judgement.reason, reason);
  }
});

test('backup.read-replica judge: a replica in another region counts only while it can be promoted (not stopped, dropping or broken); an unreported state is undecided', () => {
  const table: Array<[Array<{ name: string; location?: string; state?: string; replicationState?: string }>, string, RegExp]> = [
    [[{ name: 'r', location: 'westus', state: 'Ready', replicationState: 'Active' }], 'passed', /1 usable in another region: r in westus \(Ready, replication Active\)/],
    [[{ name: 'r', location: 'westus', state: 'Updating', replicationState: 'Catchup' }], 'passed', /1 usable/],
    [[{ name: 'r', location: 'westus', state: 'Ready', replicationState: 'Broken' }], 'failed', /1 read replicas in another region, none usable: r in westus \(replication Broken\)/],
    // A replication state this check does not know is no proof that the replica follows its source.
    [[{ name: 'r', location: 'westus', state: 'Ready', replicationState: 'Halted' }], 'undecided', /r in westus \(replication "Halted", a value this check does not know\)/],
    [[{ name: 'r', location: 'westus', state: 'Stopped' }], 'failed', /none usable: r in westus \(state Stopped\)/],
    [[{ name: 'r', location: 'westus', state: 'Dropping' }], 'failed', /none usable/],
    [[{ name: 'r', location: 'westus' }], 'undecided', /cannot be told: r in westus \(state not reported\)/],
    [[{ name: 'r', location: 'westus', state: 'Hibernating' }], 'undecided', /"Hibernating", a value this check does not know/],
    [[{ name: 'r', location: 'westus', state: 'Stopped' }, { name: 'q', location: 'centralus', state: 'Ready' }], 'passed', /2 read replicas .*1 usable/],
    // A healthy replica in the same region does not make a stopped one elsewhere count.
    [[{ name: 'r', location: 'westus', state: 'Stopped' }, { name: 'q', location: 'eastus', state: 'Ready' }], 'failed', /none usable/],
  ];
  // The server's own region unreported: no replica can be said to be elsewhere.
  const unplaced = judgeReadReplica({ plane, server: 's', replicas: [{ name: 'r', location: 'westus', state: 'Ready' }] });
  assert.equal(unplaced.verdict, 'undecided', unplaced.reason);
  assert.match(unplaced.reason, /server's own region is not reported/);
  assert.equal(judgeReadReplica({ plane, server: 's', replicas: [] }).verdict, 'failed');
  for (const [replicas, verdict, reason] of table) {
    const judgement = judgeReadReplica({ plane, server: 's', location: 'eastus', replicas });
    assert.equal(judgement.verdict, verdict, `${JSON.stringify(replicas)}: ${judgement.reason}`);
    assert.match(judgement.reason, reason);
  }
});
