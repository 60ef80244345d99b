import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgePublicAccess } from '../../../src/probes/network/public-access-disabled.js';
import { judgeFirewall } from '../../../src/probes/network/no-open-firewall.js';

const plane = 'Azure stand-in';

test('network.public-access-disabled judge: the value as ARM returns it, any case; absent or unknown is undecided', () => {
  const table: Array<[string | undefined, string, RegExp]> = [
    ['Disabled', 'passed', /reachable only through private access/],
    ['disabled', 'passed', /private access/],
    ['Enabled', 'failed', /accepts connections from the internet/],
    ['ENABLED', 'failed', /internet/],
    [undefined, 'undecided', /reports no publicNetworkAccess/],
    ['SecuredByPerimeter', 'undecided', /does not know/],
  ];
  for (const [value, verdict, reason] of table) {
    const judgement = judgePublicAccess({ plane, server: 's', publicNetworkAccess: value });
    assert.equal(judgement.verdict, verdict, `${value}: ${judgement.reason}`);
    assert.match(judgement.reason, reason);
  }
});

test('network.no-open-firewall judge: the 0.0.0.0 Azure-services rule and rules spanning half of IPv4 or more fail; bounded rules pass, with the count', () => {
  const rule = (name: string, start: string, end: string) => ({ name, startIpAddress: start, endIpAddress: end });
  const table: Array<[ReturnType<typeof rule>[], string, RegExp]> = [
    [[], 'passed', /^0 firewall rules read .* \(no address is allowed by rule\)/],
    [[rule('office', '203.0.113.0', '203.0.113.255')], 'passed', /1 firewall rules read.*office \(203\.0\.113\.0-203\.0\.113\.255, 256 addresses\)/],
    [[rule('AllowAllWindowsAzureIps', '0.0.0.0', '0.0.0.0')], 'failed', /"allow all Azure services"/],
    [[rule('all', '0.0.0.0', '255.255.255.255')], 'failed', /all \(0\.0\.0\.0-255\.255\.255\.255, 4,294,967,296 addresses\) spans at least half/],
    [[rule('almost', '1.0.0.0', '255.0.0.0')], 'failed', /almost .* spans at least half/],
    [[rule('upper-half', '128.0.0.0', '255.255.255.255')], 'failed', /2,147,483,648 addresses/],
    [[rule('just-under-half', '128.0.0.1', '255.255.255.255')], 'passed', /2,147,483,647 addresses/],
    [[rule('office', '203.0.113.0', '203.0.113.255'), rule('v6', '2001:db8::', '2001:db8::ffff')], 'undecided', /not IPv4 ranges.*v6/],
    [[rule('backwards', '10.0.0.9', '10.0.0.1')], 'undecided', /backwards/],
    [[rule('v6', '2001:db8::', '2001:db8::ffff'), rule('AllowAllWindowsAzureIps', '0.0.0.0', '0.0.0.0')], 'failed', /1 of 2 firewall rules/],
  ];
  for (const [rules, verdict, reason] of table) {
    const judgement = judgeFirewall({ plane, server: 's', rules });
    assert.equal(judgement.verdict, verdict, `${JSON.stringify(rules)}: ${judgement.reason}`);
    assert.match(judgement.reason, reason);
  }
});

test('network.no-open-firewall judge: rules that are each bounded but together admit half of IPv4 or more fail; overlaps are counted once', () => {
  const rule = (name: string, start: string, end: string) => ({ name, startIpAddress: start, endIpAddress: end });
  const quarters = [rule('q1', '0.0.0.1', '63.255.255.255'), rule('q2', '64.0.0.0', '127.255.255.255'), rule('q3', '128.0.0.0', '191.255.255.255'), rule('q4', '192.0.0.0', '255.255.255.255')];
  const table: Array<[ReturnType<typeof rule>[], string, RegExp]> = [
    [quarters, 'failed', /4 firewall rules .* together admit 4,294,967,295 addresses, at least half of the IPv4 space, though none does alone/],
    [quarters.slice(2), 'failed', /2 firewall rules .* together admit 2,147,483,648 addresses/],
    // The same quarter three times is one quarter, not three.
    [[quarters[2], quarters[2], quarters[2]], 'passed', /3 firewall rules read.*1,073,741,824 addresses together/],
    // Overlapping halves of one range: 128.0.0.0-223.255.255.255 once, under half.
    [[rule('a', '128.0.0.0', '200.255.255.255'), rule('b', '150.0.0.0', '223.255.255.255')], 'passed', /1,610,612,736 addresses together/],
    [[rule('a', '128.0.0.0', '200.255.255.255'), rule('b', '150.0.0.0', '255.255.255.255')], 'failed', /together admit 2,147,483,648/],
    // A v6 rule the check cannot read does not hide what the readable ones open together.
    [[...quarters.slice(2), rule('v6', '2001:db8::', '2001:db8::ffff')], 'failed', /together admit/],
  ];
  for (const [rules, verdict, reason] of table) {
    const judgement = judgeFirewall({ plane, server: 's', rules });
    assert.equal(judgement.verdict, verdict, `${JSON.stringify(rules)}: ${judgement.reason}`);
    assert.match(judgement.reason, reason);
  }
});
