/**
 * The cipher scan's group reading against real PostgreSQL and MariaDB servers of the lab, with
 * `openssl s_client` as the oracle: for every accepted ephemeral suite, the group our own
 * ClientHello found must be the one OpenSSL reports as "Server Temp Key" when it negotiates that
 * same suite. Then transport.strong-ciphers' judges: hardened passes, weak-dh-group fails on
 * PostgreSQL (1024-bit ssl_dh_params_file) and passes on MariaDB, which keeps its own 2048-bit
 * group whatever it is told.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { installCleanupOnSignals, startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { scanCipherSuites, type CipherScanEvidence } from '../../../src/probes/transport/cipher-scan.js';
import { judgeForwardSecrecy, judgeNoWeakSuites } from '../../../src/probes/transport/strong-ciphers-check.js';
import { judgeKeyExchangeGroups } from '../../../src/probes/transport/key-exchange-judgement.js';
import { TLS_VERSIONS, type TlsVersion } from '../../../src/tls/versions.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

const VERSION_FLAG: Partial<Record<TlsVersion, string>> = { TLSv1: '-tls1', 'TLSv1.1': '-tls1_1', 'TLSv1.2': '-tls1_2', 'TLSv1.3': '-tls1_3' };
/** OpenSSL's curve names as s_client prints them, to the IANA names the scan uses. */
const OPENSSL_CURVE: Record<string, string> = { prime256v1: 'secp256r1', secp384r1: 'secp384r1', secp521r1: 'secp521r1' };

/** What `openssl s_client` says the server's ephemeral key was, negotiating exactly this suite. */
function oracleGroup(server: LocalServer, version: TlsVersion, opensslSuite: string): Promise<string> {
  // Security level 0 on our side, so the client does not refuse the very group under test.
  const suiteArgs = version === 'TLSv1.3' ? ['-ciphersuites', opensslSuite] : ['-cipher', `${opensslSuite}:@SECLEVEL=0`];
  // The same groups our ClientHello sends key shares for, in the same order.
  const groupArgs = version === 'TLSv1.3' ? ['-groups', 'X25519:P-256:P-384:ffdhe2048'] : [];
  const args = ['s_client', '-starttls', server.engine === 'postgres' ? 'postgres' : 'mysql', '-connect', `127.0.0.1:${server.port}`, VERSION_FLAG[version]!, ...suiteArgs, ...groupArgs];
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', args, { timeout: 10_000 }, (_error, stdout) => {
      const match = /Server Temp Key: (DH|ECDH|X25519|X448), (?:([\w-]+), )?(\d+) bits/.exec(stdout);
      if (!match) return reject(new Error(`openssl s_client printed no Server Temp Key for ${opensslSuite}:\n${stdout.slice(0, 2000)}`));
      const [, kind, curve, bits] = match;
      if (kind === 'DH') resolve(`DH ${bits}`);
      else if (kind === 'ECDH') resolve(OPENSSL_CURVE[curve] ?? curve);
      else resolve(kind.toLowerCase());
    });
    child.stdin?.end();
  });
}

/** Every ephemeral suite's group as the scan read it; the DH label without its "(ffdhe2048)" name, as OpenSSL gives none. */
async function compareWithOracle(server: LocalServer, scan: CipherScanEvidence): Promise<number> {
  let compared = 0;
  for (const version of scan.versions) {
    for (const suite of version.acceptedSuites) {
      assert.ok(suite.group, `${version.version} ${suite.iana} has no group: ${suite.groupUnreadable}`);
      const ours = suite.group.replace(/ \(.*\)$/, '');
      assert.equal(ours, await oracleGroup(server, version.version, suite.openssl!), `${version.version} ${suite.openssl}`);
      compared += 1;
    }
  }
  return compared;
}

interface Expectation {
  configuration: string;
  /** The groups the scan must find, per "version suite" label. */
  groups: Record<string, string>;
  verdict: 'passed' | 'failed';
}

const EXPECTED: Record<'postgres' | 'mysql', Expectation[]> = {
  postgres: [
    // PostgreSQL 15 restricts ECDHE and TLS 1.3 alike to ssl_ecdh_curve (prime256v1).
    { configuration: 'hardened', groups: { 'TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384': 'secp256r1', 'TLSv1.3 TLS_AES_256_GCM_SHA384': 'secp256r1' }, verdict: 'passed' },
    { configuration: 'weak-dh-group', groups: { 'TLSv1.2 DHE-RSA-AES256-GCM-SHA384': 'DH 1024', 'TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384': 'secp256r1' }, verdict: 'failed' },
  ],
  mysql: [
    { configuration: 'hardened', groups: { 'TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384': 'x25519', 'TLSv1.3 TLS_AES_256_GCM_SHA384': 'x25519' }, verdict: 'passed' },
    // MariaDB 10.11 has no DH parameters setting and sends a fixed 2048-bit prime of its own.
    { configuration: 'weak-dh-group', groups: { 'TLSv1.2 DHE-RSA-AES256-GCM-SHA384': 'DH 2048' }, verdict: 'passed' },
  ],
};

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`transport.strong-ciphers key exchange groups on real ${engine === 'postgres' ? 'PostgreSQL' : 'MariaDB'} servers`, () => {
    for (const expected of EXPECTED[engine]) {
      test(`${expected.configuration}: groups match openssl s_client's Server Temp Key; strong-ciphers ${expected.verdict}`, async () => {
        const server = await startLocalServer(engine, expected.configuration, { mode: 'process' });
        try {
          const scan = await scanCipherSuites({ engine, host: '127.0.0.1', port: server.port, timeoutMs: 5000 }, [...TLS_VERSIONS]);
          const found = Object.fromEntries(scan.versions.flatMap((version) => version.acceptedSuites.map((suite) => [`${version.version} ${suite.openssl}`, suite.group?.replace(/ \(.*\)$/, '')])));
          for (const [where, group] of Object.entries(expected.groups)) assert.equal(found[where], group, `${where} in ${JSON.stringify(found)}`);
          const compared = await compareWithOracle(server, scan);
          assert.ok(compared >= 4, `only ${compared} suites compared`);

          const groups = judgeKeyExchangeGroups(scan);
          assert.equal(groups.verdict, expected.verdict, groups.reason);
          const strongCiphers = [judgeNoWeakSuites(scan), judgeForwardSecrecy(scan)];
          const verdict = strongCiphers.some((judgement) => judgement.verdict === 'failed') ? 'failed' : strongCiphers.every((judgement) => judgement.verdict === 'passed') ? 'passed' : 'undecided';
          assert.equal(verdict, expected.verdict, strongCiphers.map((judgement) => judgement.reason).join(' | '));
          if (expected.verdict === 'failed') assert.match(groups.reason, /TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: DH 1024, below 2048 bits/);
        } finally {
          await server.stop();
        }
      });
    }
  });
}
