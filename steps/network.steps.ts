import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decide } from '../support/decide.js';
import { judgeAllowlist, judgeNoBanner } from '../src/probes/network/exposure-judgements.js';
import { judgePrivateEndpoint } from '../src/probes/network/private-endpoint-judgement.js';

When('the server is probed from every declared vantage point', async function (this: ComplianceWorld) {
  this.evidence('what each vantage point saw', await this.probes.vantageObservations());
});

Then('every denied source is dropped or refused before login while every allowed source reaches authentication', async function (this: ComplianceWorld) {
  decide(this, judgeAllowlist(await this.probes.vantageObservations()));
});

Then('no denied source receives a byte from the server while every allowed source hears it', async function (this: ComplianceWorld) {
  decide(this, judgeNoBanner(await this.probes.vantageObservations()));
});

When("the target's host name is resolved", async function (this: ComplianceWorld) {
  this.evidence('every answer for the host name', await this.probes.resolution());
});

Then('every address it resolves to is private', async function (this: ComplianceWorld) {
  decide(this, judgePrivateEndpoint(await this.probes.resolution()));
});
