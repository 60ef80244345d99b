import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decide } from '../support/decide.js';
import { judgeTlsRequired } from '../src/probes/transport/tls-required-judgement.js';

When('the application account connects without TLS and over TLS', async function (this: ComplianceWorld) {
  const [plaintext, overTls] = await Promise.all([this.probes.sessionOver('plaintext'), this.probes.sessionOver('tls')]);
  this.evidence('connection attempts without and with TLS', { plaintext, overTls });
});

Then('the plaintext attempt is refused although the same account gets through over TLS', async function (this: ComplianceWorld) {
  decide(this, judgeTlsRequired(await this.probes.sessionOver('plaintext'), await this.probes.sessionOver('tls')));
});
