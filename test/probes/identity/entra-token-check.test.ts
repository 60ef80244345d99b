/**
 * The judgement's fail-closed rules for what the local servers cannot be made to show: no Azure
 * credentials, a token service that times out, a login that times out, an expiry not waited for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entraToken, judgeEntraToken, type DeclaredEntraTokenEvidence } from '../../../src/probes/identity/entra-token-check.js';
import { reasonNotApplicable } from '../../../src/controls/applicability.js';
import type { Target } from '../../../src/targets/target.js';
import { decideCheck } from '../../support/decide-check.js';
import type { TokenLoginEvidence } from '../../../src/probes/identity/token-login.js';

const authority = { host: 'https://login.microsoftonline.com', isEntraId: true, label: 'Microsoft Entra ID (https://login.microsoftonline.com)' };
const acquired = { outcome: 'acquired' as const, expiresOnTimestamp: Date.now() + 3_600_000, credential: 'DefaultAzureCredential', elapsedMs: 300 };
const login = (outcome: TokenLoginEvidence['outcome'], serverCode?: string): TokenLoginEvidence => ({ user: 'reporting-app', outcome, serverCode, elapsedMs: 40 });
const observed = (rest: Partial<DeclaredEntraTokenEvidence>): DeclaredEntraTokenEvidence => ({ declared: true, principal: 'reporting-app', authority, acquisition: acquired, ...rest });

const target: Target = { name: 't', engine: 'postgres', host: 'db.example', port: 5432, profile: 'baseline', timeoutMs: 1000, minCertDaysLeft: 30 };

test('auth.entra-token: no declared principal, or no Azure credential in the environment: skipped, with the reason', async () => {
  assert.match(reasonNotApplicable('auth.entra-token', target) ?? '', /no Entra principal is declared/);
  const declared: Target = { ...target, entra: { user: 'reporting-app', expiryWaitMs: 0 } };
  assert.equal(reasonNotApplicable('auth.entra-token', declared), undefined);
  const noCredential = observed({ acquisition: { outcome: 'unavailable', credential: 'DefaultAzureCredential', reason: 'AggregateAuthenticationError: ChainedTokenCredential authentication failed', elapsedMs: 90 } });
  const { decision } = await decideCheck(entraToken, declared, (context) => void context.once('entra-token', async () => noCredential));
  assert.equal(decision.verdict, 'skipped');
  assert.match(decision.reason, /no Azure credentials available.*ChainedTokenCredential/);
});

test('auth.entra-token: a token request that fails or times out, or a login that times out, is undecided', () => {
  const noToken = observed({ acquisition: { outcome: 'failed', credential: 'ClientSecretCredential', reason: 'acquiring an Entra token did not finish within 15000 ms', elapsedMs: 15000 } });
  assert.equal(judgeEntraToken(noToken).verdict, 'undecided');
  assert.equal(judgeEntraToken(observed({ valid: login('timed-out'), notTried: { tampered: 'x', expired: 'x' } })).verdict, 'undecided');
});

test('auth.entra-token: an expiry the probe did not wait for leaves the control undecided, even when the rest holds', () => {
  const judgement = judgeEntraToken(
    observed({ valid: login('accepted'), tampered: login('refused-by-authentication', '28P01'), notTried: { expired: 'the token expires in 3599 s and the probe may wait 0 s (entra.expiryWait)' } }),
  );
  assert.equal(judgement.verdict, 'undecided');
  assert.match(judgement.reason, /entra\.expiryWait/);
});

test('auth.entra-token: an accepted tampered or expired token fails the control, whatever else is undecided', () => {
  const tamperedAccepted = observed({ valid: login('accepted'), tampered: login('accepted'), notTried: { expired: 'not waited for' } });
  assert.equal(judgeEntraToken(tamperedAccepted).verdict, 'failed');
  const expiredAccepted = observed({ valid: login('accepted'), tampered: login('refused-by-authentication', '1045'), expired: login('accepted') });
  assert.equal(judgeEntraToken(expiredAccepted).verdict, 'failed');
});

test('auth.entra-token: a refusal by rule rather than by judging the token is not counted as a refusal', () => {
  const judgement = judgeEntraToken(observed({ valid: login('accepted'), tampered: login('refused-by-policy', '28000'), expired: login('refused-by-authentication', '28000') }));
  assert.equal(judgement.verdict, 'undecided');
});
