/**
 * The presented chain is parsed once per negotiation, not once per run: on PostgreSQL 17+ the
 * SSLRequest path and direct TLS are two ways in, and each path's certificate controls judge the
 * certificate that path presented, whichever path is judged first. A real server presents the
 * same certificate on both (one SSL context), so the paths' handshakes are seeded here with two
 * different certificates made by openssl: one naming the target's host, one another host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { certHostname } from '../../../src/probes/transport/certificate-checks.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import { TLS_VERSIONS } from '../../../src/tls/versions.js';
import type { HandshakeResult } from '../../../src/tls/handshake.js';
import type { Target, TlsNegotiation } from '../../../src/targets/target.js';

function selfSigned(name: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'cert-per-path-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '30', '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`], { stdio: 'ignore' });
    return new X509Certificate(readFileSync(join(dir, 'c.pem'))).raw;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const target: Target = { name: 'per-path', engine: 'postgres', host: 'db.example', port: 5432, profile: 'baseline', timeoutMs: 5000, minCertDaysLeft: 7 };

function seeded(chains: Record<TlsNegotiation, Buffer>): TargetContext {
  const context = new TargetContext(target);
  for (const negotiation of ['postgres', 'direct'] as const) {
    for (const version of TLS_VERSIONS) {
      const result = { evidence: { outcome: 'accepted', reason: 'seeded' }, peerChain: [chains[negotiation]] } as unknown as HandshakeResult;
      void context.once(`handshake:${negotiation}:${version}`, async () => result);
    }
  }
  return context;
}

for (const first of ['postgres', 'direct'] as const) {
  test(`each path judges its own certificate (${first} path judged first)`, async () => {
    const chains = { postgres: selfSigned('db.example'), direct: selfSigned('other.example') };
    const context = seeded(chains);
    const order = first === 'postgres' ? (['postgres', 'direct'] as const) : (['direct', 'postgres'] as const);
    const verdicts: Record<string, string> = {};
    for (const negotiation of order) {
      const evidence = await certHostname.read(context.onPath(negotiation), AbortSignal.timeout(5000));
      verdicts[negotiation] = certHostname.judge(evidence, target).verdict;
    }
    assert.deepEqual(verdicts, { postgres: 'passed', direct: 'failed' });
  });
}
