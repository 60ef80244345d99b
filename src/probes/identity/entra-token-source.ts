import type { Target } from '../../targets/target.js';
import { acquireEntraToken, type TokenAcquisition } from './token-acquisition.js';

/**
 * The declared Entra principal's token for one target's run, shared by whoever logs in with it
 * (the catalog session, its sessions in other databases, and auth.entra-token): one token request
 * per run while the token stays valid, not one per login. A failed request is remembered too: the
 * run does not ask the identity provider again and again for what it refused.
 *
 * A token is handed out only while it outlives the login it is for: a reuse must still be valid
 * `validForMs` from now (the caller's login timeout), else a new one is requested. A token this
 * call requested itself is handed out whatever its lifetime: asking again would get no better one.
 */
export class EntraTokenSource {
  private latest?: Promise<TokenAcquisition>;

  constructor(private readonly target: Target) {}

  async acquire(validForMs: number): Promise<TokenAcquisition> {
    const entra = this.target.entra;
    if (!entra) throw new Error(`target "${this.target.name}" declares no Entra principal`);
    const reused = this.latest;
    if (reused) {
      const earlier = await reused;
      if (earlier.evidence.outcome !== 'acquired' || earlier.evidence.expiresOnTimestamp - Date.now() >= validForMs) return earlier;
      // Someone else may have asked for a new one meanwhile.
      if (this.latest !== reused) return this.acquire(validForMs);
    }
    const fresh = acquireEntraToken(this.target, entra);
    this.latest = fresh;
    return fresh;
  }
}
