import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateEndpoint } from '../../../src/probes/network/network-checks.js';
import { classifyAddress } from '../../../src/probes/network/address-class.js';
import type { ResolutionEvidence } from '../../../src/probes/network/resolution.js';
import { sampleTarget } from '../../support/sample-target.js';

const resolved = (addresses: string[], problems: string[] = []): ResolutionEvidence => ({
  host: 'db.example',
  via: 'the system resolver',
  answers: addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4, class: classifyAddress(address) })) as ResolutionEvidence['answers'],
  problems,
  elapsedMs: 3,
});

const rows: Array<[string, ResolutionEvidence, string, RegExp]> = [
  ['RFC 1918 and ULA only', resolved(['10.1.2.3', 'fd00::5']), 'passed', /is private: 10\.1\.2\.3 \(private\), fd00::5 \(private\)/],
  ['one public among private', resolved(['10.1.2.3', '20.1.2.3']), 'failed', /20\.1\.2\.3 \(public\)/],
  ['CGNAT', resolved(['100.64.0.1']), 'failed', /cgnat/],
  ['a public answer outweighs a failed lookup', resolved(['20.1.2.3'], ['AAAA timed out']), 'failed', /public/],
  ['a failed lookup', resolved(['10.1.2.3'], ['AAAA timed out']), 'undecided', /not every answer/],
  ['loopback', resolved(['127.0.0.1']), 'undecided', /loopback/],
  ['no address at all', resolved([]), 'undecided', /resolved to no address/],
];
for (const [name, evidence, verdict, reason] of rows) {
  test(`network.private-endpoint judge: ${name} -> ${verdict}`, () => {
    const judgement = privateEndpoint.judge(evidence, sampleTarget({ profile: 'strict' }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
