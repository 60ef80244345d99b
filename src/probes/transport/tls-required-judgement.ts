import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { TransportAttempt } from './transport-attempt.js';

/**
 * A plaintext refusal proves TLS is required only when the same account gets through over TLS:
 * otherwise it may be a refusal of the account itself (MariaDB answers a plaintext login under
 * require_secure_transport with the same "Access denied" as a wrong password).
 */
export function judgeTlsRequired(plaintext: TransportAttempt, overTls: TransportAttempt): Judgement {
  if (plaintext.outcome === 'proceeds') return failed(`without TLS, ${plaintext.description}`);
  if (plaintext.outcome === 'undecided') return undecided(`the plaintext attempt was inconclusive: ${plaintext.description}`);
  if (overTls.outcome !== 'proceeds') {
    return undecided(`plaintext was refused (${plaintext.description}), but so was TLS (${overTls.description}), so the refusal may not be about transport`);
  }
  return passed(`refused without TLS (${plaintext.description}); accepted over TLS (${overTls.description})`);
}
