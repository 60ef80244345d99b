import { X509Certificate } from 'node:crypto';
import type { TrustBundle } from './trust-bundle.js';

export interface ChainTrust {
  trusted: boolean;
  reason: string;
  /** Subjects from the leaf up to the anchor that was found (or as far as the chain could be followed). */
  path: string[];
  /** The certificate from the bundle the chain links to (or the presented one found in it), when trusted. */
  anchor?: X509Certificate;
  /** The presented certificates the path went through, leaf first (the anchor excluded when it was not presented). */
  presentedOnPath: X509Certificate[];
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
  if (chainDer.length === 0) return { trusted: false, reason: 'the server presented no certificate', path: [], presentedOnPath: [] };
  const presented = chainDer.map((der) => new X509Certificate(der));
  let current = presented[0];
  const path = [current.subject.replace(/\n/g, ', ')];
  const presentedOnPath = [current];
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const itself = bundle.certificates.find((anchor) => anchor.fingerprint256 === current.fingerprint256);
    if (itself) {
      return { trusted: true, reason: `${path.at(-1)} is itself in the trusted bundle (${bundle.source})`, path, anchor: itself, presentedOnPath };
    }
    const anchor = bundle.certificates.find((candidate) => issues(candidate, current));
    if (anchor) {
      path.push(anchor.subject.replace(/\n/g, ', '));
      // The bundle file may be gone when the report is read; the anchor's fingerprint still names it.
      return { trusted: true, reason: `chain links to "${path.at(-1)}" (SHA-256 ${anchor.fingerprint256}) from ${bundle.source}`, path, anchor, presentedOnPath };
    }
    const intermediate = presented.find((candidate) => candidate !== current && candidate.ca && issues(candidate, current));
    if (!intermediate) break;
    current = intermediate;
    presentedOnPath.push(current);
    path.push(current.subject.replace(/\n/g, ', '));
  }
  const top = presented[0].checkIssued(presented[0]) && presented.length === 1 ? 'a self-signed certificate' : `"${path.at(-1)}"`;
  return { trusted: false, reason: `no CA in ${bundle.source} issued ${top}`, path, presentedOnPath };
}
