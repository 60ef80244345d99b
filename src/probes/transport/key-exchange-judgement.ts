import { displayVersion } from '../../tls/versions.js';
import { describeGroup, strengthOf } from '../../tls/key-exchange-groups.js';
import type { CipherScanEvidence } from './cipher-scan.js';
import { undecidedOr } from './unenumerated-versions.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';

/** NIST SP 800-57: a 2048-bit finite-field group gives 112 bits of security, the least SP 800-131A still allows. */
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
    const probe = version.weakCurveProbe;
    if (probe?.outcome === 'accepted' && probe.keyExchangeGroup) {
      const strength = strengthOf(probe.keyExchangeGroup);
      const where = `${displayVersion(version.version)} ECDHE for a client offering only curves below 256 bits`;
      if (strength === undefined) unknown.push(`${where} (${probe.reason}; the curve has no known size)`);
      else if (strength < MIN_CURVE_STRENGTH_BITS) small.push(`${where}: ${probe.reason}`);
    } else if (probe?.outcome === 'undecided') {
      unknown.push(`${displayVersion(version.version)} ECDHE for a client offering only curves below 256 bits (${probe.reason})`);
    }
  }
  if (small.length > 0) return failed(`key exchange groups too small: ${small.join('; ')}`);
  if (unknown.length > 0) return undecided(`could not tell the key exchange group of ${unknown.join('; ')}`);
  return undecidedOr(scan, () => {
    if (seen.size === 0) return passed('no ephemeral key exchange was accepted, so there is no group to judge');
    const listed = [...seen].map(([label, count]) => `${label} (${count} suite${count === 1 ? '' : 's'})`).join(', ');
    const probed = scan.versions.filter((version) => version.weakCurveProbe?.outcome === 'refused').map((version) => displayVersion(version.version));
    const weakCurves = probed.length > 0 ? `; ${probed.join(', ')} refused ECDHE to a client offering only curves below 256 bits` : '';
    return passed(`every ephemeral key exchange uses at least a ${MIN_DH_BITS}-bit DH group or a 256-bit curve: ${listed}${weakCurves}`);
  });
}
