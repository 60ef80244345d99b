import { defineCheck } from '../check.js';
import { displayVersion } from '../../tls/versions.js';
import { judgeKeyExchangeGroups } from './key-exchange-judgement.js';
import type { CipherScanEvidence } from './cipher-scan.js';
import { undecidedOr } from './unenumerated-versions.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';

/** A definite weakness found on one version outweighs another version we could not look at. */
export function judgeNoWeakSuites(scan: CipherScanEvidence): Judgement {
  if (scan.versions.every((version) => version.status === 'tls-not-offered')) return failed('the server offers no TLS at all');
  const weak = scan.versions.flatMap((version) =>
    version.acceptedSuites
      .filter((suite) => suite.weaknesses.length > 0)
      .map((suite) => `${displayVersion(version.version)} ${suite.iana} (${suite.weaknesses.join(', ')})`),
  );
  if (weak.length > 0) return failed(`weak suites accepted: ${weak.join('; ')}`);
  // Nothing accepted anywhere is nothing judged, not a clean bill (tls1.2 and tls1.3 say why).
  if (scan.versions.every((version) => version.acceptedSuites.length === 0)) return undecidedOr(scan, () => undecided(`no suite was accepted on any TLS version, so there is no suite to judge; ${listing(scan)}`));
  return undecidedOr(scan, () => passed(`no weak suite accepted; ${listing(scan)}`));
}

/**
 * Forward secrecy below TLS 1.3 takes an ephemeral key exchange, and one in a group an attacker
 * can break is none (Logjam): so the groups the server used are judged here too.
 */
export function judgeForwardSecrecy(scan: CipherScanEvidence): Judgement {
  if (scan.versions.every((version) => version.status === 'tls-not-offered')) return failed('the server offers no TLS at all');
  const lacking = scan.versions
    .filter((version) => version.version !== 'TLSv1.3')
    .flatMap((version) =>
      version.acceptedSuites.filter((suite) => !suite.forwardSecrecy).map((suite) => `${displayVersion(version.version)} ${suite.iana}`),
    );
  if (lacking.length > 0) return failed(`suites without forward secrecy accepted: ${lacking.join('; ')}`);
  const groups = judgeKeyExchangeGroups(scan);
  if (groups.verdict !== 'passed') return groups;
  // "Every suite below TLS 1.3 ..." of none would read as if such suites had been judged.
  const belowTls13 = scan.versions.filter((version) => version.version !== 'TLSv1.3').reduce((count, version) => count + version.acceptedSuites.length, 0);
  const coverage = belowTls13 === 0 ? 'no suite below TLS 1.3 is accepted, so every key exchange is TLS 1.3\'s own (always ephemeral)' : `all ${belowTls13} accepted suites below TLS 1.3 use ECDHE or DHE`;
  return passed(`${coverage}; ${groups.reason}`);
}


function listing(scan: CipherScanEvidence): string {
  return scan.versions
    .map((version) =>
      version.acceptedSuites.length > 0
        ? `${displayVersion(version.version)}: ${version.acceptedSuites.map((suite) => suite.iana).join(', ')}`
        : `${displayVersion(version.version)}: none (${version.status})`,
    )
    .join('; ');
}

/** transport.strong-ciphers: no weak suite on any version, and forward secrecy below TLS 1.3. */
export function judgeStrongCiphers(scan: CipherScanEvidence): Judgement {
  const verdicts = [judgeNoWeakSuites(scan), judgeForwardSecrecy(scan)];
  const worst = verdicts.find((judgement) => judgement.verdict === 'failed') ?? verdicts.find((judgement) => judgement.verdict === 'undecided');
  return worst ?? passed(verdicts.map((judgement) => judgement.reason).join('; '));
}

export const strongCiphers = defineCheck<CipherScanEvidence>({
  id: 'transport.strong-ciphers',
  evidenceTitle: 'accepted cipher suites per TLS version',
  read: (context) => context.cipherSuites(),
  judge: judgeStrongCiphers,
});
