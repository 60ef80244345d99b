import type { LoginAttemptEvidence } from '../login/login-attempt.js';
import { failed, passed, undecided, type Judgement } from './judgement.js';

const REFUSALS = new Set(['refused-by-policy', 'refused-by-authentication', 'locked']);

/**
 * A plaintext refusal proves TLS is required only when the same credentials work over TLS: MariaDB
 * answers a plaintext login under require_secure_transport with the same "Access denied" as a wrong
 * password, so the refusal alone could be bad credentials.
 */
export function judgeTlsRequired(plaintext: LoginAttemptEvidence | undefined, overTls: LoginAttemptEvidence | undefined): Judgement {
  if (!plaintext || !overTls) {
    return undecided('no account with a password is configured for this target; refusing plaintext cannot be proven without valid credentials');
  }
  const code = (attempt: LoginAttemptEvidence) => (attempt.serverCode ? ` [${attempt.serverCode}]` : '');
  if (plaintext.outcome === 'accepted') return failed(`user "${plaintext.user}" logged in without TLS`);
  if (!REFUSALS.has(plaintext.outcome)) {
    return undecided(`the plaintext login attempt ended in ${plaintext.outcome}${code(plaintext)}: ${plaintext.message ?? ''}`);
  }
  if (overTls.outcome !== 'accepted') {
    return undecided(
      `plaintext login was refused (${plaintext.outcome}${code(plaintext)}), but the same credentials also failed over TLS (${overTls.outcome}${code(overTls)}), so the refusal may not be about transport`,
    );
  }
  return passed(
    `user "${plaintext.user}" was refused without TLS (${plaintext.outcome}${code(plaintext)}: ${plaintext.message ?? ''}) and accepted over ${overTls.negotiatedTls ?? 'TLS'}`,
  );
}
