import { setTimeout as sleep } from 'node:timers/promises';
import type { Target } from '../../targets/target.js';
import { rememberToken } from '../../targets/secret-store.js';
import { describeAuthority, type AuthorityDescription } from './entra-authority.js';
import { withOneSignatureByteChanged } from './tampered-token.js';
import type { AcquisitionEvidence } from './token-acquisition.js';
import { EntraTokenSource } from './entra-token-source.js';
import { loginWithToken, type TokenLoginEvidence } from './token-login.js';

/** What the probe saw; never the token itself. */
export type EntraTokenEvidence =
  | { declared: false }
  | {
      declared: true;
      principal: string;
      authority: AuthorityDescription;
      acquisition: AcquisitionEvidence;
      valid?: TokenLoginEvidence;
      tampered?: TokenLoginEvidence;
      expired?: TokenLoginEvidence;
      /** Why a login with the tampered or the expired token was not made. */
      notTried?: { tampered?: string; expired?: string };
    };

/** Past the token's expiry by this much, so the server's clock and rounding cannot still call it valid. */
const EXPIRY_MARGIN_MS = 2000;

/**
 * Gets a token for the declared principal (the one the run already holds, when it outlives the
 * first login) and logs in three times over TLS: with the token, with the token after one
 * signature byte changed, and (when it expires within the allowed wait) with the same token once
 * expired. The logins run one after another, so the expired attempt is made with the very token
 * the server accepted.
 */
export async function probeEntraToken(target: Target, signal?: AbortSignal, tokens = new EntraTokenSource(target)): Promise<EntraTokenEvidence> {
  const entra = target.entra;
  if (!entra) return { declared: false };
  const authority = await describeAuthority(entra);
  // The run's token, when the catalog session already got one that outlives this login.
  const { evidence: acquisition, token } = await tokens.acquire(target.timeoutMs);
  const evidence: EntraTokenEvidence & { declared: true } = { declared: true, principal: entra.user, authority, acquisition };
  if (acquisition.outcome !== 'acquired' || token === undefined) return evidence;
  evidence.valid = await loginWithToken(target, entra.user, token);
  if (evidence.valid.outcome !== 'accepted') {
    const pointless = 'the valid token was not accepted, so a refusal of a broken one would prove nothing';
    evidence.notTried = { tampered: pointless, expired: pointless };
    return evidence;
  }
  const tampered = withOneSignatureByteChanged(token);
  if (tampered) {
    rememberToken(tampered);
    evidence.tampered = await loginWithToken(target, entra.user, tampered);
  } else {
    evidence.notTried = { tampered: 'the token is not a signed JWT' };
  }
  const waitMs = acquisition.expiresOnTimestamp + EXPIRY_MARGIN_MS - Date.now();
  if (waitMs > entra.expiryWaitMs) {
    const expired = `the token expires in ${Math.round(waitMs / 1000)} s and the probe may wait ${Math.round(entra.expiryWaitMs / 1000)} s (entra.expiryWait)`;
    evidence.notTried = { ...evidence.notTried, expired };
    return evidence;
  }
  // The wait for the expiry may be minutes: it ends with the target's run.
  await sleep(Math.max(0, waitMs), undefined, { signal });
  evidence.expired = await loginWithToken(target, entra.user, token);
  return evidence;
}
