import { Then, When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { decide } from '../support/decide.js';
import { judgeAccepted, judgeRefused } from '../src/probes/transport/tls-version-judgements.js';
import { displayVersion, type TlsVersion } from '../src/tls/versions.js';
import type { HandshakeResult } from '../src/tls/handshake.js';

declare module '../support/world.js' {
  interface ComplianceWorld {
    handshakeResult?: HandshakeResult;
  }
}

When('a client offers only {tlsVersion}', async function (this: ComplianceWorld, version: TlsVersion) {
  this.handshakeResult = await this.probes.handshake(version);
  this.evidence(`handshake offering only ${displayVersion(version)}`, this.handshakeResult.evidence);
});

Then('the server refuses the handshake', async function (this: ComplianceWorld) {
  decide(this, judgeRefused(this.handshakeResult!, await this.probes.allHandshakes()));
});

Then('the handshake completes with that version', async function (this: ComplianceWorld) {
  decide(this, judgeAccepted(this.handshakeResult!, await this.probes.allHandshakes()));
});
