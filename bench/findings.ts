import { CIPHER_SUITES, cipherSuiteByCode } from '../src/tls/cipher-suites.js';
import { classifySuite, type SuiteClassification } from '../src/tls/suite-classification.js';
import { displayVersion, TLS_VERSIONS, type TlsVersion } from '../src/tls/versions.js';

export type VersionAnswer = 'accepted' | 'refused' | 'unknown';

/** What one tool says about one server, reduced to what every tool can be compared on. */
export interface TransportFindings {
  versions: Record<TlsVersion, VersionAnswer>;
  /** Accepted weak suites (as the tool names them); absent when the tool did not enumerate suites. */
  weakSuites?: string[];
}

export function versionAnswers(answer: (version: TlsVersion) => VersionAnswer): Record<TlsVersion, VersionAnswer> {
  return Object.fromEntries(TLS_VERSIONS.map((version) => [version, answer(version)])) as Record<TlsVersion, VersionAnswer>;
}

/** The spec's definition (features/transport/cipher-suites.feature), applied to every tool's list alike. */
export function isWeak(suite: Pick<SuiteClassification, 'forwardSecrecy' | 'weaknesses'>): boolean {
  return !suite.forwardSecrecy || suite.weaknesses.length > 0;
}

/*
 * Weak suites are named as OpenSSL names them where it has a name, so every tool's list reads alike.
 * A suite our classifier cannot place is listed, marked: it then shows up as a disagreement to look
 * at instead of silently counting as strong.
 */
export function weakSuiteByCode(code: number, nameGiven: string): string | undefined {
  const suite = cipherSuiteByCode(code);
  if (!suite) return `${nameGiven} (unclassified)`;
  return isWeak(suite) ? (suite.openssl ?? suite.iana) : undefined;
}

export function weakSuiteByIana(iana: string): string | undefined {
  const known = CIPHER_SUITES.find((suite) => suite.iana === iana);
  if (known) return isWeak(known) ? (known.openssl ?? known.iana) : undefined;
  try {
    return isWeak(classifySuite(iana)) ? iana : undefined;
  } catch {
    return `${iana} (unclassified)`;
  }
}

export interface Comparison {
  /** Where the tools' verdicts differ: a TLS version, or whether any weak suite is accepted. */
  disagreements: string[];
  /** Same verdict, different weak suites named. */
  notes: string[];
}

export function compare(ours: TransportFindings, theirs: TransportFindings, tool: string): Comparison {
  const comparison: Comparison = { disagreements: [], notes: [] };
  for (const version of TLS_VERSIONS) {
    if (ours.versions[version] !== theirs.versions[version]) {
      comparison.disagreements.push(`${displayVersion(version)}: dbcomply ${ours.versions[version]}, ${tool} ${theirs.versions[version]}`);
    }
  }
  if (!theirs.weakSuites || !ours.weakSuites) return comparison;
  const oursDistinct = [...new Set(ours.weakSuites)].sort();
  const theirsDistinct = [...new Set(theirs.weakSuites)].sort();
  const detail = `weak suites: dbcomply [${oursDistinct.join(', ') || 'none'}], ${tool} [${theirsDistinct.join(', ') || 'none'}]`;
  if ((oursDistinct.length > 0) !== (theirsDistinct.length > 0)) comparison.disagreements.push(detail);
  else if (oursDistinct.join() !== theirsDistinct.join()) comparison.notes.push(detail);
  return comparison;
}
