import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { EntraTokenEvidence } from './entra-token-probe.js';
import { CannotObserve, NothingToJudge, defaultTimeBudgetMs, defineCheck } from '../check.js';

export type DeclaredEntraTokenEvidence = Extract<EntraTokenEvidence, { declared: true }>;
import type { TokenLoginEvidence } from './token-login.js';

type Finding = { verdict: 'ok' | 'failed' | 'undecided'; says: string };

function refusalExpected(attempt: TokenLoginEvidence | undefined, what: string, notTriedBecause = 'no reason recorded'): Finding {
  if (!attempt) return { verdict: 'undecided', says: `${what}: not tried, as ${notTriedBecause}` };
  const answer = `${attempt.serverCode ? `[${attempt.serverCode}] ` : ''}${attempt.message ?? ''}`.trim();
  switch (attempt.outcome) {
    case 'refused-by-authentication':
      return { verdict: 'ok', says: `${what} was refused as an authentication failure (${answer})` };
    case 'accepted':
      return { verdict: 'failed', says: `${what} was accepted (session of ${attempt.sessionUser ?? attempt.user})` };
    case 'refused-by-policy':
      return { verdict: 'undecided', says: `${what} was refused by a rule, not by judging the token (${answer})` };
    default:
      return { verdict: 'undecided', says: `${what} was not judged by the server: ${attempt.outcome} ${answer}`.trim() };
  }
}

function validFinding(attempt: TokenLoginEvidence, label: string): Finding {
  const answer = `${attempt.serverCode ? `[${attempt.serverCode}] ` : ''}${attempt.message ?? ''}`.trim();
  switch (attempt.outcome) {
    case 'accepted':
      return { verdict: 'ok', says: `a token from ${label} logged in as ${attempt.sessionUser ?? attempt.user} over ${attempt.negotiatedTls ?? 'TLS'}` };
    case 'refused-by-authentication':
    case 'refused-by-policy':
      return { verdict: 'failed', says: `the server refused a valid token from ${label} for "${attempt.user}" (${answer})` };
    default:
      return { verdict: 'undecided', says: `the login with a token from ${label} did not reach a decision: ${attempt.outcome} ${answer}`.trim() };
  }
}

/**
 * Passes when a valid token logs in over TLS and the server itself refuses both the tampered and
 * the expired token as authentication failures. Any acceptance that should have been a refusal
 * fails the control; anything not observed leaves it undecided. (Without a declared principal the
 * catalogue skips the control; without any Azure credential the read does.)
 */
export function judgeEntraToken(evidence: DeclaredEntraTokenEvidence): Judgement {
  const { acquisition, authority } = evidence;
  if (acquisition.outcome !== 'acquired' || !evidence.valid) {
    const why = acquisition.outcome === 'acquired' ? 'no login was made' : acquisition.reason;
    return undecided(`could not get a token for "${evidence.principal}" from ${authority.label} with ${acquisition.credential}: ${why}`);
  }
  const findings = [
    validFinding(evidence.valid, authority.label),
    refusalExpected(evidence.tampered, 'the same token with one signature byte changed', evidence.notTried?.tampered),
    refusalExpected(evidence.expired, 'the same token after it expired', evidence.notTried?.expired),
  ];
  const reason = findings.map((finding) => finding.says).join('; ');
  if (findings.some((finding) => finding.verdict === 'failed')) return failed(reason);
  if (findings.some((finding) => finding.verdict === 'undecided')) return undecided(reason);
  return passed(reason);
}

/** auth.entra-token: the declared principal's token logs in; tampered and expired copies are refused. */
export const entraToken = defineCheck<DeclaredEntraTokenEvidence>({
  id: 'auth.entra-token',
  evidenceTitle: 'Entra token logins',
  async read(context) {
    const evidence = await context.entraToken();
    if (!evidence.declared) throw new CannotObserve('no Entra principal is declared for this target (entra.user in the config file)');
    if (evidence.acquisition.outcome === 'unavailable') {
      throw new NothingToJudge(`no Azure credentials available in this environment (${evidence.acquisition.credential}): ${evidence.acquisition.reason}`, evidence);
    }
    return evidence;
  },
  judge: judgeEntraToken,
  // Token request, three logins, and the wait for the token to expire that the target allows.
  timeBudgetMs: (target) => defaultTimeBudgetMs(target) + (target.entra?.expiryWaitMs ?? 0),
});
