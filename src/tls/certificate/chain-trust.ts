import { X509Certificate } from 'node:crypto';
import type { TrustBundle } from './trust-bundle.js';

export interface ChainTrust {
  trusted: boolean;
  reason: string;
  /** Subjects from the leaf up to the anchor that was found (or as far as the chain could be followed). */
  path: string[];
  /**
   * When trusted: the top of the path, climbed through the bundle to a self-signed root (or as
   * high as the bundle reaches). A bundle that holds an intermediate and its root is anchored at
   * the root, as OpenSSL builds the path, so the root's key and dates are judged too.
   */
  anchor?: X509Certificate;
  /** The presented certificates the path went through, leaf first (the anchor excluded when it was not presented). */
  presentedOnPath: X509Certificate[];
  /** Certificates the path took from the bundle below the anchor, which the server did not send (intermediates a client supplies). */
  bundleOnPath: X509Certificate[];
}

const MAX_DEPTH = 10;

function issues(issuer: X509Certificate, subject: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

/**
 * Links the presented chain to an anchor in the bundle by names and signatures only. Expiry, key
 * size and digest are deliberately not judged here: other controls judge them, so that one defect
 * fails exactly one control.
 */
export function assessChainTrust(chainDer: Buffer[], bundle: TrustBundle): ChainTrust {
  if (chainDer.length === 0) return { trusted: false, reason: 'the server presented no certificate', path: [], presentedOnPath: [], bundleOnPath: [] };
  const presented = chainDer.map((der) => new X509Certificate(der));
  let current = presented[0];
  const path = [subjectOf(current)];
  const presentedOnPath = [current];
  const bundleOnPath: X509Certificate[] = [];
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const itself = bundle.certificates.find((anchor) => anchor.fingerprint256 === current.fingerprint256);
    if (itself) return climbTheBundle(itself, bundle, presented, { path, presentedOnPath, bundleOnPath }, `${path.at(-1)} is itself in the trusted bundle (${bundle.source})`);
    const anchor = bundle.certificates.find((candidate) => issues(candidate, current));
    if (anchor) {
      path.push(subjectOf(anchor));
      addToPath(anchor, presented, presentedOnPath, bundleOnPath);
      // The bundle file may be gone when the report is read; the anchor's fingerprint still names it.
      return climbTheBundle(anchor, bundle, presented, { path, presentedOnPath, bundleOnPath }, `chain links to "${path.at(-1)}" (SHA-256 ${anchor.fingerprint256}) from ${bundle.source}`);
    }
    const intermediate = presented.find((candidate) => candidate !== current && candidate.ca && issues(candidate, current));
    if (!intermediate) break;
    current = intermediate;
    presentedOnPath.push(current);
    path.push(subjectOf(current));
  }
  const top = presented[0].checkIssued(presented[0]) && presented.length === 1 ? 'a self-signed certificate' : `"${path.at(-1)}"`;
  return { trusted: false, reason: `no CA in ${bundle.source} issued ${top}`, path, presentedOnPath, bundleOnPath };
}

const subjectOf = (certificate: X509Certificate) => certificate.subject.replace(/\n/g, ', ');

/** A certificate on the path: the presented one with its fingerprint when the server sent it, else the bundle's. */
function addToPath(certificate: X509Certificate, presented: X509Certificate[], presentedOnPath: X509Certificate[], bundleOnPath: X509Certificate[]): void {
  const sent = presented.find((candidate) => candidate.fingerprint256 === certificate.fingerprint256);
  if (sent) {
    if (!presentedOnPath.includes(sent)) presentedOnPath.push(sent);
  } else {
    bundleOnPath.push(certificate);
  }
}

/** From a bundle certificate the chain reached, up through the bundle to a self-signed root, as a client builds the path. */
function climbTheBundle(
  reached: X509Certificate,
  bundle: TrustBundle,
  presented: X509Certificate[],
  walked: Pick<ChainTrust, 'path' | 'presentedOnPath' | 'bundleOnPath'>,
  reason: string,
): ChainTrust {
  let top = reached;
  for (let depth = 0; depth < MAX_DEPTH && !issues(top, top); depth++) {
    const above = bundle.certificates.find((candidate) => candidate.fingerprint256 !== top.fingerprint256 && issues(candidate, top));
    if (!above) break;
    walked.path.push(subjectOf(above));
    addToPath(above, presented, walked.presentedOnPath, walked.bundleOnPath);
    top = above;
  }
  // The top is the anchor: judged as such, not as an intermediate.
  const bundleOnPath = walked.bundleOnPath.filter((certificate) => certificate.fingerprint256 !== top.fingerprint256);
  const climbed = top === reached ? '' : `, which the bundle's "${subjectOf(top)}" (SHA-256 ${top.fingerprint256}) issued in turn`;
  return { trusted: true, reason: `${reason}${climbed}`, path: walked.path, anchor: top, presentedOnPath: walked.presentedOnPath, bundleOnPath };
}
