import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decide } from '../support/decide.js';
import { judgeForwardSecrecy, judgeNoWeakSuites } from '../src/probes/transport/cipher-judgements.js';
import type { CipherScanEvidence } from '../src/probes/transport/cipher-scan.js';

declare module '../support/world.js' {
  interface ComplianceWorld {
    cipherScan?: CipherScanEvidence;
  }
}

When('the suites the server accepts are enumerated for every TLS version', async function (this: ComplianceWorld) {
  this.cipherScan = await this.probes.cipherSuites();
  this.evidence('accepted cipher suites per TLS version', this.cipherScan);
});

Then('no accepted suite is weak', function (this: ComplianceWorld) {
  decide(this, judgeNoWeakSuites(this.cipherScan!));
});

Then('every accepted suite below TLS 1.3 has forward secrecy', function (this: ComplianceWorld) {
  decide(this, judgeForwardSecrecy(this.cipherScan!));
});
