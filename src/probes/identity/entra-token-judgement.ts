import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { EntraTokenEvidence } from './entra-token-probe.js';
import type { TokenLoginEvidence } from './token-login.js';

/** auth.entra-token may also be skipped: when no principal is declared, or the environment has no Azure credentials at all. */
export type EntraTokenDecision = Judgement | { verdict: 'skipped'; reason: string };

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
 * fails the control; anything not observed leaves it undecided.
 */
export function judgeEntraToken(evidence: EntraTokenEvidence): EntraTokenDecision {
  if (!evidence.declared) return { verdict: 'skipped', reason: 'no Entra principal is declared for this target (entra.user in the config file)' };
  const { acquisition, authority } = evidence;
  if (acquisition.outcome === 'unavailable') {
    return { verdict: 'skipped', reason: `no Azure credentials available in this environment (${acquisition.credential}): ${acquisition.reason}` };
  }
  if (acquisition.outcome === 'failed' || !evidence.valid) {
    const why = acquisition.outcome === 'failed' ? acquisition.reason : 'no login was made';
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
