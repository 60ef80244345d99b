import { displayVersion } from '../../tls/versions.js';
import { describeGroup, strengthOf } from '../../tls/key-exchange-groups.js';
import type { CipherScanEvidence } from './cipher-scan.js';
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
  return passed(`every accepted suite below TLS 1.3 uses ECDHE or DHE; ${groups.reason}`);
}

/** NIST SP 800-57: 2048-bit finite-field groups give 112 bits of security, the floor Azure's TLS 1.2 policy sits at. */
export const MIN_DH_BITS = 2048;
/** The 128-bit level of a 256-bit curve; X25519 (255-bit field) is at it too (RFC 7748). */
export const MIN_CURVE_STRENGTH_BITS = 128;

/**
 * Every ephemeral key exchange the server accepted (DHE and ECDHE below TLS 1.3, every TLS 1.3
 * suite) must use at least a 2048-bit DH group or a 256-bit curve. A group we could not read, or a
 * curve we cannot size, is undecided, never passed; a definite small group fails regardless.
 */
export function judgeKeyExchangeGroups(scan: CipherScanEvidence): Judgement {
  if (scan.versions.every((version) => version.status === 'tls-not-offered')) return failed('the server offers no TLS at all');
  const small: string[] = [];
  const unknown: string[] = [];
  const seen = new Map<string, number>();
  for (const version of scan.versions) {
    for (const suite of version.acceptedSuites) {
      const ephemeral = version.version === 'TLSv1.3' || suite.forwardSecrecy || suite.keyExchangeGroup !== undefined;
      if (!ephemeral) continue;
      const where = `${displayVersion(version.version)} ${suite.iana}`;
      const group = suite.keyExchangeGroup;
      if (group === undefined) {
        unknown.push(`${where} (${suite.groupUnreadable ?? 'no group recorded'})`);
        continue;
      }
      const label = `${displayVersion(version.version)} ${describeGroup(group)}`;
      seen.set(label, (seen.get(label) ?? 0) + 1);
      if (group.family === 'DH') {
        if (group.bits < MIN_DH_BITS) small.push(`${where}: ${describeGroup(group)}, below ${MIN_DH_BITS} bits`);
        continue;
      }
      const strength = strengthOf(group);
      if (strength === undefined) unknown.push(`${where} (curve ${group.name} has no known size)`);
      else if (strength < MIN_CURVE_STRENGTH_BITS) small.push(`${where}: ${group.name}, a ${group.bits ?? '?'}-bit curve, below 256 bits`);
    }
  }
  if (small.length > 0) return failed(`key exchange groups too small: ${small.join('; ')}`);
  if (unknown.length > 0) return undecided(`could not tell the key exchange group of ${unknown.join('; ')}`);
  return undecidedOr(scan, () => {
    if (seen.size === 0) return passed('no ephemeral key exchange was accepted, so there is no group to judge');
    const listed = [...seen].map(([label, count]) => `${label} (${count} suite${count === 1 ? '' : 's'})`).join(', ');
    return passed(`every ephemeral key exchange uses at least a ${MIN_DH_BITS}-bit DH group or a 256-bit curve: ${listed}`);
  });
}

function undecidedOr(scan: CipherScanEvidence, decided: () => Judgement): Judgement {
  const unknown = scan.versions.filter((version) => version.status === 'undecided');
  if (unknown.length > 0) {
    return undecided(`could not enumerate ${unknown.map((v) => `${displayVersion(v.version)} (${v.reason ?? 'no reason given'})`).join('; ')}`);
  }
  return decided();
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
