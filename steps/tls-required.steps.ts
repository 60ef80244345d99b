import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decide } from '../support/decide.js';
import { judgeTlsRequired } from '../src/probes/transport/tls-required-judgement.js';

When('the application account logs in without TLS and over TLS', async function (this: ComplianceWorld) {
  const [plaintext, overTls] = await Promise.all([this.probes.login('plaintext'), this.probes.login('tls')]);
  this.evidence('login attempts', { plaintext: plaintext ?? 'no account configured', overTls: overTls ?? 'no account configured' });
});

Then('the plaintext login is refused although the same credentials work over TLS', async function (this: ComplianceWorld) {
  decide(judgeTlsRequired(await this.probes.login('plaintext'), await this.probes.login('tls')));
});
