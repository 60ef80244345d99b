import { Given, Then } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decide } from '../support/decide.js';
import { UndecidedError } from '../src/controls/verdict.js';
import { ServerCertificate } from '../src/probes/transport/server-certificate.js';

declare module '../support/world.js' {
  interface ComplianceWorld {
    certificate?: ServerCertificate;
  }
}

Given('the certificate chain the server presents in a TLS handshake', async function (this: ComplianceWorld) {
  const result = await this.probes.bestHandshake();
  if (!result || result.peerChain.length === 0) {
    const attempts = (await this.probes.allHandshakes()).map((attempt) => attempt.evidence.reason);
    throw new UndecidedError(`no handshake completed, so there is no certificate to judge (${attempts.join('; ')})`);
  }
  this.certificate = new ServerCertificate(result.peerChain);
  this.evidence('certificate chain', { negotiated: result.evidence.negotiated, chain: this.certificate.chain });
});

Then('the chain links to a CA in the trusted bundle', async function (this: ComplianceWorld) {
  decide(this.certificate!.chainsTo(await this.probes.trustBundle()));
});

Then('the certificate names the host the client dialled', function (this: ComplianceWorld) {
  decide(this.certificate!.names(this.target.host));
});

Then('the certificate is valid now and for the required number of days', function (this: ComplianceWorld) {
  decide(this.certificate!.isValidFor(new Date(), this.target.minCertDaysLeft));
});

Then('its key is RSA of at least 2048 bits or EC of at least 256 bits', function (this: ComplianceWorld) {
  decide(this.certificate!.hasStrongKey());
});

Then('neither it nor any intermediate is signed with SHA-1 or MD5', function (this: ComplianceWorld) {
  decide(this.certificate!.hasStrongSignatures());
});
