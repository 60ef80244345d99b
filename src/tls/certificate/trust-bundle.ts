import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import tls from 'node:tls';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export interface TrustBundle {
  source: string;
  certificates: X509Certificate[];
}

export function parsePemBundle(pem: string, source: string): TrustBundle {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  return { source, certificates: blocks.map((block) => new X509Certificate(block)) };
}

/** The configured CA file, or Node's built-in Mozilla store when none is configured. */
export async function loadTrustBundle(caFile: string | undefined): Promise<TrustBundle> {
  if (!caFile) return parsePemBundle(tls.rootCertificates.join('\n'), "Node's built-in CA store");
  const bundle = parsePemBundle(await readFile(caFile, 'utf8'), caFile);
  if (bundle.certificates.length === 0) throw new Error(`CA file ${caFile} holds no PEM certificate`);
  return bundle;
}
