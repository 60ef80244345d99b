import { When } from '@cucumber/cucumber';
import type { ComplianceWorld } from '../support/world.js';
import { displayVersion, type TlsVersion } from '../src/tls/versions.js';
import { expectations, observations } from './observe-and-judge.js';
import { UndecidedError } from '../src/controls/verdict.js';

When('a client offers only {tlsVersion}', { timeout: -1 }, function (this: ComplianceWorld, version: TlsVersion) {
  const checked = this.checkedTlsVersion();
  if (checked !== version) throw new UndecidedError(`the scenario offers ${displayVersion(version)} but its control judges ${checked ? displayVersion(checked) : 'no TLS version'}`);
  return this.observe();
});

observations('Given', ['the certificate chain the server presents in a TLS handshake']);
observations('When', ['the suites the server accepts are enumerated for every TLS version', 'the application account connects without TLS and over TLS']);

expectations([
  'the server refuses the handshake',
  'the handshake completes with that version',
  'the chain links to a CA in the trusted bundle',
  'the certificate names the host the client dialled',
  'the certificate is valid now and for the required number of days',
  'its key is RSA of at least 2048 bits or EC of at least 256 bits',
  'neither it nor any intermediate is signed with SHA-1 or MD5',
  'no accepted suite is weak, and every one below TLS 1.3 has forward secrecy',
  'the plaintext attempt is refused although the same account gets through over TLS',
]);
