/**
 * The harness's own acceptance test for the transport area: against a hardened server every
 * transport control passes; against each weak configuration exactly the controls it weakens fail,
 * and nothing else. Real PostgreSQL and MariaDB servers, started locally.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { runTarget } from '../../src/runner/run-target.js';
import type { Engine, ProfileName } from '../../src/targets/target.js';
import { CATALOGUE, areaOf } from '../../src/controls/catalogue.js';

const TRANSPORT_CONTROLS = CATALOGUE.map((control) => control.id).filter((id) => areaOf(id) === 'transport');
/** What a server without TLS still satisfies: it accepts no old version, and nothing else. */
const REFUSALS = ['transport.no-tls1.0', 'transport.no-tls1.1', 'transport.tls1.3-only'];

interface Row {
  configuration: string;
  profile?: ProfileName;
  /** Dial the server by this name instead of its address, so that host name matching is by DNS name. */
  dialAs?: string;
  /** Only where the engine can express the weakness. */
  engines?: Engine[];
  /** Controls expected to fail, per engine when the engines differ. */
  fails: string[] | Record<Engine, string[]>;
}

const MATRIX: Row[] = [
  { configuration: 'hardened', fails: [] },
  { configuration: 'hardened', profile: 'strict', fails: ['transport.tls1.3-only'] },
  { configuration: 'tls1.3-only', profile: 'strict', fails: [] },
  // PostgreSQL has only a minimum version, so enabling TLS 1.0 enables 1.1 with it.
  { configuration: 'tls1.0-enabled', fails: { postgres: ['transport.no-tls1.0', 'transport.no-tls1.1'], mysql: ['transport.no-tls1.0'] } },
  { configuration: 'tls1.1-enabled', fails: ['transport.no-tls1.1'] },
  { configuration: 'no-tls1.3', fails: ['transport.tls1.3'] },
  { configuration: 'plaintext-allowed', fails: ['transport.tls-required'] },
  // The application account's own database is TLS-only; another database is not.
  { configuration: 'plaintext-other-database', engines: ['postgres'], fails: ['transport.tls-required'] },
  // Every account requires TLS today, but the server-wide switch is off.
  { configuration: 'tls-by-account-only', engines: ['mysql'], fails: ['transport.tls-required'] },
  { configuration: 'weak-cipher', fails: ['transport.strong-ciphers'] },
  { configuration: 'no-forward-secrecy', fails: ['transport.strong-ciphers'] },
  // PostgreSQL hands out DHE keys in its 1024-bit ssl_dh_params_file group; MariaDB has no such setting and uses 2048 bits.
  { configuration: 'weak-dh-group', fails: { postgres: ['transport.strong-ciphers'], mysql: [] } },
  { configuration: 'tls-disabled', fails: TRANSPORT_CONTROLS.filter((id) => !REFUSALS.includes(id)) },
  { configuration: 'cert-expired', fails: ['transport.cert-validity'] },
  { configuration: 'cert-expiring-soon', fails: ['transport.cert-validity'] },
  { configuration: 'cert-sha1', fails: ['transport.cert-signature'] },
  { configuration: 'cert-rsa1024', fails: ['transport.cert-key'] },
  { configuration: 'cert-wrong-host', fails: ['transport.cert-hostname'] },
  { configuration: 'cert-self-signed', fails: ['transport.cert-trusted'] },
  { configuration: 'cert-ec-p256', fails: [] },
  // Dialled by name: the good certificate's SAN has DNS:localhost; the CN-only one names it only in its CN.
  { configuration: 'hardened', dialAs: 'localhost', fails: [] },
  { configuration: 'cert-cn-only', dialAs: 'localhost', fails: ['transport.cert-hostname'] },
  // The leaf is good; its intermediate CA, sent along by the server, is not.
  { configuration: 'cert-intermediate-rsa1024', fails: ['transport.cert-key'] },
  { configuration: 'cert-intermediate-expired', fails: ['transport.cert-validity'] },
  { configuration: 'cert-intermediate-sha1', fails: ['transport.cert-signature'] },
  // The leaf is good and the server sends nothing else; the trusted root's own key is 1024 bits.
  { configuration: 'cert-root-rsa1024', fails: ['transport.cert-key'] },
  { configuration: 'cert-root-expired', fails: ['transport.cert-validity'] },
  { configuration: 'cert-client-auth-only', fails: ['transport.cert-trusted'] },
];

function expectedVerdicts(row: Row, engine: Engine): Record<string, string> {
  const fails = Array.isArray(row.fails) ? row.fails : row.fails[engine];
  const profile = row.profile ?? 'baseline';
  const notRequired = profile === 'strict' ? 'transport.tls1.2' : 'transport.tls1.3-only';
  return Object.fromEntries(
    TRANSPORT_CONTROLS.map((id) => [id, fails.includes(id) ? 'failed' : id === notRequired ? 'skipped' : 'passed']),
  );
}

const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-acceptance-'));
after(async () => {
  await stopAllLocalServers();
  await rm(outDir, { recursive: true, force: true });
});

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`transport controls against ${engine === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    for (const row of MATRIX.filter((candidate) => !candidate.engines || candidate.engines.includes(engine))) {
      const profile = row.profile ?? 'baseline';
      test(`${row.configuration} (${profile} profile${row.dialAs ? `, dialled as ${row.dialAs}` : ''})`, async () => {
        const server = await startLocalServer(engine, row.configuration);
        try {
          const target = { ...targetForLocalServer(`${engine}-${row.configuration}-${profile}${row.dialAs ? `-${row.dialAs}` : ''}`, server, profile), ...(row.dialAs ? { host: row.dialAs } : {}) };
          const result = await runTarget(target, outDir, '@area:transport');
          const reasons = Object.entries(result.reasons).map(([id, reason]) => `${id}: ${reason}`).join('\n');
          assert.deepEqual(result.controls, expectedVerdicts(row, engine), reasons);
        } finally {
          await server.stop();
        }
      });
    }
  });
}
