import { Given, Then } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decide } from '../support/decide.js';
import { presentedCertificate } from '../src/probes/transport/presented-certificate.js';
import { ServerCertificate } from '../src/probes/transport/server-certificate.js';

declare module '../support/world.js' {
  interface ComplianceWorld {
    certificate?: ServerCertificate;
  }
}

Given('the certificate chain the server presents in a TLS handshake', async function (this: ComplianceWorld) {
  const presented = presentedCertificate(await this.probes.allHandshakes());
  if (!(presented instanceof ServerCertificate)) return decide(this, presented);
  this.certificate = presented;
  this.evidence('certificate chain', this.certificate.chain);
});

Then('the chain links to a CA in the trusted bundle', async function (this: ComplianceWorld) {
  decide(this, this.certificate!.chainsTo(await this.probes.trustBundle()));
});

Then('the certificate names the host the client dialled', function (this: ComplianceWorld) {
  decide(this, this.certificate!.names(this.target.host));
});

Then('the certificate is valid now and for the required number of days', function (this: ComplianceWorld) {
  decide(this, this.certificate!.isValidFor(new Date(), this.target.minCertDaysLeft));
});

Then('its key is RSA of at least 2048 bits or EC of at least 256 bits', function (this: ComplianceWorld) {
  decide(this, this.certificate!.hasStrongKey());
});

Then('neither it nor any intermediate is signed with SHA-1 or MD5', function (this: ComplianceWorld) {
  decide(this, this.certificate!.hasStrongSignatures());
});
