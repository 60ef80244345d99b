import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decide } from '../support/decide.js';
import { SKIP_NOTE } from '../src/controls/verdict.js';
import { judgeEntraToken } from '../src/probes/identity/entra-token-judgement.js';

/**
 * No Cucumber time limit: the probe bounds itself (token request, each login, and the wait for
 * expiry that the target allows in entra.expiryWait), and that wait can be long by design.
 */
const BOUNDED_BY_THE_PROBE = { timeout: -1 };

When('the declared Entra principal logs in over TLS with a token, a tampered token and an expired token', BOUNDED_BY_THE_PROBE, async function (this: ComplianceWorld) {
  this.evidence('Entra token logins', await this.probes.entraToken());
});

Then('the valid token is accepted and the server refuses the tampered and the expired token', async function (this: ComplianceWorld) {
  const decision = judgeEntraToken(await this.probes.entraToken());
  if (decision.verdict !== 'skipped') return decide(this, decision);
  this.attach(JSON.stringify({ reason: decision.reason }, null, 2), { mediaType: 'application/json', fileName: SKIP_NOTE });
  return 'skipped';
});
