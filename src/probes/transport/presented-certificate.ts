import type { HandshakeResult } from '../../tls/handshake.js';
import { failed, undecided, type Judgement } from '../../controls/judgement.js';
import { ServerCertificate } from './server-certificate.js';
import { CertificateParseError } from '../../tls/certificate/certificate-parse-error.js';

/**
 * The certificate from the newest version that completed. A server that offers no TLS at all
 * presents none, which fails the certificate controls; one we could not complete a handshake
 * with leaves them undecided.
 */
export function presentedCertificate(handshakes: HandshakeResult[]): ServerCertificate | Judgement {
  const completed = [...handshakes].reverse().find((result) => result.evidence.outcome === 'accepted' && result.peerChain.length > 0);
  if (completed) {
    try {
      return new ServerCertificate(completed.peerChain);
    } catch (error) {
      if (error instanceof CertificateParseError) return undecided(error.message);
      throw error;
    }
  }
  if (handshakes.length > 0 && handshakes.every((result) => result.evidence.outcome === 'tls-not-offered')) {
    return failed('the server offers no TLS, so it presents no certificate at all');
  }
  return undecided(`no handshake completed, so there is no certificate to judge (${handshakes.map((result) => result.evidence.reason).join('; ')})`);
}
