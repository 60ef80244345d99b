import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateEndpoint } from '../../../src/probes/network/network-checks.js';
import { classifyAddress } from '../../../src/probes/network/address-class.js';
import type { ResolutionEvidence } from '../../../src/probes/network/resolution.js';
import type { PrivateEndpointEvidence, PrivateLinkEvidence } from '../../../src/probes/network/private-endpoint-judgement.js';
import type { PrivateEndpointConnectionFacts } from '../../../src/probes/plane/server-facts.js';
import { sampleTarget } from '../../support/sample-target.js';

const resolved = (addresses: string[], problems: string[] = []): ResolutionEvidence => ({
  host: 'db.example',
  via: 'the system resolver',
  answers: addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4, class: classifyAddress(address) })) as ResolutionEvidence['answers'],
  problems,
  elapsedMs: 3,
});

const connection = (status: string | undefined, provisioningState: string | undefined = 'Succeeded', name = `pe-${status ?? 'none'}`): PrivateEndpointConnectionFacts => ({
  name,
  privateEndpointId: `/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateEndpoints/${name}`,
  status,
  provisioningState,
});
const onAzure = (link: Partial<Extract<PrivateLinkEvidence, { plane: string }>>): PrivateLinkEvidence => ({ plane: 'Azure (AzureCloud)', server: 'orders', ...link });
const withAzure = (resolution: ResolutionEvidence, azure: PrivateLinkEvidence): PrivateEndpointEvidence => ({ ...resolution, azure });
const privately = resolved(['10.1.2.3']);

const rows: Array<[string, PrivateEndpointEvidence, string, RegExp]> = [
  ['RFC 1918 and ULA only', resolved(['10.1.2.3', 'fd00::5']), 'passed', /is private: 10\.1\.2\.3 \(private\), fd00::5 \(private\)/],
  ['one public among private', resolved(['10.1.2.3', '20.1.2.3']), 'failed', /20\.1\.2\.3 \(public\)/],
  ['CGNAT', resolved(['100.64.0.1']), 'failed', /cgnat/],
  ['a public answer outweighs a failed lookup', resolved(['20.1.2.3'], ['AAAA timed out']), 'failed', /public/],
  ['a failed lookup', resolved(['10.1.2.3'], ['AAAA timed out']), 'undecided', /not every answer/],
  ['loopback', resolved(['127.0.0.1']), 'undecided', /loopback/],
  ['no address at all', resolved([]), 'undecided', /resolved to no address/],
  // With the Azure resource declared, a private answer must come from an approved private endpoint.
  ['private answers, one Approved connection', withAzure(privately, onAzure({ connections: [connection('Approved')] })), 'passed', /is private: 10\.1\.2\.3 \(private\); orders on Azure \(AzureCloud\) has 1 approved private endpoint connection \(pe-Approved \(Approved, Succeeded\)\); whether those addresses belong to that endpoint was not read \(Azure lists no address on a connection\)$/],
  // The answers may be another endpoint's addresses (one Pending, in the harness's network): the pass must not claim otherwise.
  ['Approved beside Pending: which endpoint the answers are is not claimed', withAzure(privately, onAzure({ connections: [connection('Approved'), connection('Pending')] })), 'passed', /1 approved .*not counted: pe-Pending \(Pending, Succeeded\); whether those addresses belong to that endpoint was not read/],
  ['APPROVED in capitals', withAzure(privately, onAzure({ connections: [connection('APPROVED', 'SUCCEEDED')] })), 'passed', /1 approved/],
  ['a status with stray spaces is not taken as approved', withAzure(privately, onAzure({ connections: [connection('approved ')] })), 'failed', /no approved private endpoint connection/],
  ['an empty delegated subnet is no VNet integration', withAzure(privately, onAzure({ delegatedSubnetResourceId: '', connections: [] })), 'failed', /no private endpoint connection and no delegated subnet/],
  ['private answers, Approved beside Rejected', withAzure(privately, onAzure({ connections: [connection('Approved'), connection('Rejected')] })), 'passed', /1 approved .*; not counted: pe-Rejected \(Rejected, Succeeded\)/],
  ['approval in another case', withAzure(privately, onAzure({ connections: [connection('approved', 'succeeded')] })), 'passed', /1 approved/],
  ['private answers, the only connection Pending', withAzure(privately, onAzure({ connections: [connection('Pending')] })), 'failed', /no approved private endpoint connection \(pe-Pending \(Pending, Succeeded\)\) and no delegated subnet: its private answers \(10\.1\.2\.3 \(private\)\) do not come from a private endpoint Azure approved/],
  ['private answers, Rejected and Disconnected', withAzure(privately, onAzure({ connections: [connection('Rejected'), connection('Disconnected')] })), 'failed', /pe-Rejected \(Rejected, Succeeded\), pe-Disconnected \(Disconnected, Succeeded\)/],
  ['Approved but its provisioning Failed', withAzure(privately, onAzure({ connections: [connection('Approved', 'Failed')] })), 'failed', /no approved private endpoint connection \(pe-Approved \(Approved, Failed\)\)/],
  ['a connection with no status', withAzure(privately, onAzure({ connections: [connection(undefined)] })), 'failed', /pe-none \(no status, Succeeded\)/],
  ['an empty list of connections', withAzure(privately, onAzure({ connections: [] })), 'failed', /has no private endpoint connection and no delegated subnet/],
  ['none approved outweighs an unseen answer', withAzure(resolved(['10.1.2.3'], ['AAAA timed out']), onAzure({ connections: [connection('Pending')] })), 'failed', /no approved private endpoint connection/],
  ['none approved, and loopback answers', withAzure(resolved(['127.0.0.1']), onAzure({ connections: [] })), 'failed', /no private endpoint connection/],
  ['a public answer still fails with an Approved connection', withAzure(resolved(['20.1.2.3']), onAzure({ connections: [connection('Approved')] })), 'failed', /20\.1\.2\.3 \(public\)/],
  ['VNet integration: a delegated subnet, no connection', withAzure(privately, onAzure({ delegatedSubnetResourceId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/db', connections: [] })), 'passed', /integrated into a virtual network \(delegated subnet .*subnets\/db\)/],
  ['no privateEndpointConnections list in the answer', withAzure(privately, onAzure({})), 'undecided', /lists no privateEndpointConnections and no delegated subnet/],
  ['the Azure resource could not be read', withAzure(privately, { unreadable: 'the principal lacks the role Reader' }), 'undecided', /is private: 10\.1\.2\.3 \(private\), but the declared Azure resource could not be read.*lacks the role Reader/],
  ['an unreadable resource does not hide a public answer', withAzure(resolved(['20.1.2.3']), { unreadable: 'HTTP 500' }), 'failed', /20\.1\.2\.3 \(public\)/],
];
for (const [name, evidence, verdict, reason] of rows) {
  test(`network.private-endpoint judge: ${name} -> ${verdict}`, () => {
    const judgement = privateEndpoint.judge(evidence, sampleTarget({ profile: 'strict' }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
