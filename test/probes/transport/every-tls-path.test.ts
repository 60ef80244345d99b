import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onEveryTlsPath, type PathsEvidence } from '../../../src/probes/transport/every-tls-path.js';
import { defineCheck } from '../../../src/probes/check.js';
import { failed, passed, undecided, type Judgement } from '../../../src/controls/judgement.js';
import type { DirectTlsEvidence } from '../../../src/tls/direct-tls.js';
import { sampleTarget } from '../../support/sample-target.js';

/** A stand-in check whose evidence is its own judgement, to see how the paths are combined. */
const inner = defineCheck<Judgement>({ id: 'transport.no-tls1.0', evidenceTitle: 'x', read: async () => passed('x'), judge: (evidence) => evidence });
const wrapped = onEveryTlsPath(inner);
const direct = (outcome: DirectTlsEvidence['outcome']): DirectTlsEvidence => ({ outcome, reason: `direct ${outcome}`, elapsedMs: 2 });
const paths = (directTls: DirectTlsEvidence | undefined, ...judgements: Judgement[]): PathsEvidence<Judgement> => ({
  ...(directTls ? { directTls } : {}),
  paths: judgements.map((evidence, index) => ({ negotiation: index === 0 ? 'postgres' : 'direct', evidence })),
});

const rows: Array<[string, PathsEvidence<Judgement>, string, RegExp]> = [
  ['MySQL: one path, its judgement as it is', paths(undefined, failed('TLS 1.0 accepted')), 'failed', /^TLS 1\.0 accepted$/],
  ['PostgreSQL 15: direct TLS not accepted, the SSLRequest path alone', paths(direct('not-accepted'), passed('TLS 1.0 refused')), 'passed', /^TLS 1\.0 refused \(direct TLS is not accepted, so the SSLRequest path is the only way in\)$/],
  ['PostgreSQL 17: both paths pass', paths(direct('accepted'), passed('refused here'), passed('refused there')), 'passed', /SSLRequest path: refused here \| direct TLS path: refused there/],
  ['PostgreSQL 17: only the direct path fails', paths(direct('accepted'), passed('refused here'), failed('accepted there')), 'failed', /direct TLS path: accepted there/],
  ['PostgreSQL 17: the direct path undecided', paths(direct('accepted'), passed('refused here'), undecided('timed out')), 'undecided', /direct TLS path: timed out/],
  ['direct TLS could not be told: a pass is only undecided', paths(direct('undecided'), passed('refused here')), 'undecided', /whether the server also accepts direct TLS could not be told/],
  ['direct TLS could not be told: a failure still fails', paths(direct('undecided'), failed('accepted here')), 'failed', /accepted here/],
];

for (const [name, evidence, verdict, reason] of rows) {
  test(`transport.no-tls1.0 and every transport control judged on every TLS path: ${name} -> ${verdict}`, () => {
    const judgement = wrapped.judge(evidence, sampleTarget());
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}

test('how the direct ClientHello was answered stays in the evidence the report shows, though the reason no longer repeats it', () => {
  const shown = wrapped.shown!(paths(direct('not-accepted'), passed('TLS 1.0 refused'))) as { directTls: DirectTlsEvidence };
  assert.equal(shown.directTls.outcome, 'not-accepted');
  assert.equal(shown.directTls.reason, 'direct not-accepted');
});
