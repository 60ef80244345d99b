/**
 * The version matrix: the full acceptance matrices run on Debian's PostgreSQL 15; here every other
 * version the project supports (13, 14, 16, 17, 18, from the builds pinned in lab-versions.json)
 * runs a hardened server through every transport, authentication and access control, the TLS-floor,
 * MD5 and trust variants, and what that version changes:
 * - 13 and 14 let PUBLIC create in schema public on a default cluster (15 revoked it);
 * - 16 split role membership into ADMIN / INHERIT / SET options;
 * - 17 and 18 accept direct TLS (TLS first, ALPN "postgresql", no SSLRequest).
 * The builds come from scripts/fetch-postgres-versions.sh; without them this file skips locally and
 * fails in CI (CI=true).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../src/lab/local-server.js';
import { checkPostgresSettings } from '../../src/lab/postgres-server.js';
import { postgresWeakeningStatements, SUPERUSER_GROUP_ROLE, PROVISIONER_GROUP_ROLE } from '../../src/lab/postgres-accounts.js';
import { SERVER_CONFIGURATION_NAMES, serverConfiguration } from '../../src/lab/server-configurations.js';
import { SYSTEM_POSTGRES_MAJOR } from '../../src/lab/postgres-versions.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { runTarget } from '../../src/runner/run-target.js';
import { CONTROLS, areaOf } from '../../src/controls/catalogue.js';
import { reasonNotApplicable } from '../../src/controls/applicability.js';
import type { Target } from '../../src/targets/target.js';
import { probeDirectTls } from '../../src/tls/direct-tls.js';
import { handshake } from '../../src/tls/handshake.js';
import { scanCipherSuites } from '../../src/probes/transport/cipher-scan.js';
import { TLS_VERSIONS } from '../../src/tls/versions.js';
import { postgresVersionAvailability } from '../support/postgres-versions.js';

/** Controls the lab gives nothing to judge (no Entra principal declared): skipped, as on any such target. */
const NOTHING_DECLARED = ['auth.entra-token'];
const FIRST_DIRECT_TLS_MAJOR = 17;

const availability = postgresVersionAvailability();
const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-versions-'));
after(async () => {
  await stopAllLocalServers();
  await rm(outDir, { recursive: true, force: true });
});

if (availability.message && availability.required) {
  test('the version matrix has every pinned PostgreSQL build (CI fetches them in .ci/run)', () => assert.fail(availability.message));
}

/** Every control of `areas` passes or is skipped for its stated reason, except `fails`, which fail. */
function expectedVerdicts(target: Target, areas: string[], fails: string[]): Record<string, string> {
  const ids = CONTROLS.map((control) => control.id).filter((id) => areas.includes(areaOf(id)));
  return Object.fromEntries(
    ids.map((id) => [id, fails.includes(id) ? 'failed' : reasonNotApplicable(id, target) || NOTHING_DECLARED.includes(id) ? 'skipped' : 'passed']),
  );
}

interface Row {
  configuration: string;
  areas: string[];
  fails: string[];
  intrusive?: boolean;
  /** Runs on these majors only. */
  majors?: (major: number) => boolean;
  /** What a control's reason must say. */
  reasonOf?: Record<string, RegExp>;
  /** More observations on the same running server. */
  also?: (server: LocalServer, major: number) => Promise<void>;
}

const endpointOf = (server: LocalServer) => ({ engine: 'postgres' as const, host: server.host, port: server.port, timeoutMs: 5000 });

/** 17+: direct TLS is accepted and each TLS version gets the same answer on both paths; before 17 it is not accepted. */
async function bothNegotiationPathsAgree(server: LocalServer, major: number): Promise<void> {
  const endpoint = endpointOf(server);
  const direct = await probeDirectTls(endpoint, { host: server.host });
  if (major < FIRST_DIRECT_TLS_MAJOR) {
    assert.equal(direct.outcome, 'not-accepted', direct.reason);
    return;
  }
  assert.equal(direct.outcome, 'accepted', direct.reason);
  for (const version of TLS_VERSIONS) {
    const [classic, viaDirect] = await Promise.all(
      (['postgres', 'direct'] as const).map((negotiation) => handshake(endpoint, { version, host: server.host, negotiation })),
    );
    assert.equal(viaDirect.evidence.outcome, classic.evidence.outcome, `${version}: ${classic.evidence.reason} / ${viaDirect.evidence.reason}`);
    if (viaDirect.evidence.outcome === 'accepted') assert.equal(viaDirect.evidence.negotiated?.alpn, 'postgresql');
  }
  const [classicScan, directScan] = await Promise.all(
    (['postgres', 'direct'] as const).map((negotiation) => scanCipherSuites(endpoint, ['TLSv1.2', 'TLSv1.3'], { negotiation })),
  );
  const accepted = (scan: typeof classicScan) => scan.versions.map((version) => `${version.version}: ${version.status} ${version.acceptedSuites.map((suite) => suite.code).join(' ')}`);
  assert.deepEqual(accepted(directScan), accepted(classicScan));
  assert.ok(classicScan.versions.every((version) => version.status === 'accepted'));
}

const ROWS: Row[] = [
  {
    configuration: 'hardened',
    areas: ['transport', 'auth', 'access'],
    fails: [],
    intrusive: true,
    also: bothNegotiationPathsAgree,
  },
  { configuration: 'tls1.0-enabled', areas: ['transport'], fails: ['transport.no-tls1.0', 'transport.no-tls1.1'], also: bothNegotiationPathsAgree },
  { configuration: 'legacy-password-hashing', areas: ['auth'], fails: ['auth.scram'] },
  { configuration: 'passwordless-account', areas: ['auth'], fails: ['auth.no-passwordless'] },
  // 13 and 14: the lab leaves the version's default alone here (see the test below), and that default fails.
  { configuration: 'public-schema-create', areas: ['access'], fails: ['access.public-schema'], majors: (major) => major < 15 },
  // 16: superuser power through SET ROLE alone (WITH INHERIT FALSE, SET TRUE) is still superuser power.
  {
    configuration: 'superuser-via-set-role',
    areas: ['access'],
    fails: ['access.app-not-superuser'],
    majors: (major) => major >= 16,
    reasonOf: { 'access.app-not-superuser': new RegExp(`"${SUPERUSER_GROUP_ROLE}" that it may SET ROLE to`) },
  },
  // 16: a membership with neither SET nor INHERIT confers nothing (ADMIN cannot grant a superuser role either): passes, and says so.
  {
    configuration: 'inert-superuser-membership',
    areas: ['access'],
    fails: [],
    majors: (major) => major >= 16,
    reasonOf: { 'access.app-not-superuser': /allows neither SET ROLE nor inheritance/ },
  },
  {
    configuration: 'privileged-via-set-role',
    areas: ['access'],
    fails: ['access.least-privilege'],
    majors: (major) => major >= 16,
    reasonOf: { 'access.least-privilege': new RegExp(PROVISIONER_GROUP_ROLE) },
  },
  // pg_read_file's overloads differ by version (3 on 13, 4 from 16): the grant of one is found on each.
  {
    configuration: 'server-file-function-grant',
    areas: ['access'],
    fails: ['access.least-privilege', 'access.app-not-superuser'],
    reasonOf: { 'access.least-privilege': /EXECUTE on pg_read_file\(text\)/, 'access.app-not-superuser': /may EXECUTE pg_read_file\(text\), granted to it directly/ },
  },
  // PUBLIC's default EXECUTE on a new function, and the catalog read of SECURITY DEFINER functions, on every version.
  // ... and what it runs is the statement its caller gives (EXECUTE $1): the application's superuser power too.
  {
    configuration: 'superuser-definer-routine',
    areas: ['access'],
    fails: ['access.least-privilege', 'access.app-not-superuser'],
    reasonOf: {
      'access.least-privilege': /public\.run_statement\(text\) in database "app" owned by postgres \(superuser\), executable by PUBLIC/,
      'access.app-not-superuser': /public\.run_statement\(text\), a SECURITY DEFINER routine \(LANGUAGE plpgsql\) of superuser "postgres" that it may EXECUTE, granted to PUBLIC: its EXECUTE runs the text of its parameter \$1 as given/,
    },
  },
];

for (const major of [...availability.present, ...availability.missing].sort((a, b) => a - b)) {
  const skip = availability.missing.includes(major) ? availability.message : undefined;
  describe(`PostgreSQL ${major}`, { skip }, () => {
    test('every lab configuration\'s settings are valid on this version (postgres -C)', async () => {
      for (const name of SERVER_CONFIGURATION_NAMES) {
        const checked = await checkPostgresSettings(serverConfiguration(name), major);
        assert.equal(checked.major, major);
      }
    });

    for (const row of ROWS.filter((candidate) => candidate.majors?.(major) ?? true)) {
      test(`${row.configuration}: ${row.fails.length ? row.fails.join(', ') : 'nothing'} fails (${row.areas.join(', ')})`, async () => {
        const server = await startLocalServer('postgres', row.configuration, { postgresVersion: major });
        try {
          assert.match(server.serverVersion, new RegExp(`^${major}\\.`));
          const target = targetForLocalServer(`postgres${major}-${row.configuration}`, server, 'baseline', row.intrusive ?? false);
          const result = await runTarget(target, outDir, row.areas.map((area) => `@area:${area}`).join(' or '));
          const reasons = Object.entries(result.reasons).map(([id, reason]) => `${id}: ${reason}`).join('\n');
          assert.deepEqual(result.controls, expectedVerdicts(target, row.areas, row.fails), reasons);
          for (const [id, pattern] of Object.entries(row.reasonOf ?? {})) assert.match(result.reasons[id] ?? '', pattern);
          await row.also?.(server, major);
        } finally {
          await server.stop();
        }
      });
    }

    if (major >= FIRST_DIRECT_TLS_MAJOR) {
      test('with TLS off the direct path is closed too: direct TLS is not accepted', async () => {
        const server = await startLocalServer('postgres', 'tls-disabled', { postgresVersion: major });
        try {
          const direct = await probeDirectTls(endpointOf(server), { host: server.host });
          assert.equal(direct.outcome, 'not-accepted', direct.reason);
          const viaDirect = await handshake(endpointOf(server), { version: 'TLSv1.3', host: server.host, negotiation: 'direct' });
          assert.equal(viaDirect.evidence.outcome, 'declined', viaDirect.evidence.reason);
        } finally {
          await server.stop();
        }
      });
    }

    if (major < 15) {
      test('a default cluster lets PUBLIC create in schema public: the lab leaves it so for public-schema-create and revokes it when hardened', () => {
        assert.deepEqual(postgresWeakeningStatements(['public-schema-create'], major), []);
      });
    }
  });
}

// Debian's 15 runs the full matrices elsewhere; here only what sets it apart from 17+.
describe(`PostgreSQL ${SYSTEM_POSTGRES_MAJOR} (the system's)`, () => {
  test('every lab configuration\'s settings are valid (postgres -C), and direct TLS is not accepted', async () => {
    for (const name of SERVER_CONFIGURATION_NAMES) assert.equal((await checkPostgresSettings(serverConfiguration(name), SYSTEM_POSTGRES_MAJOR)).major, SYSTEM_POSTGRES_MAJOR);
    const server = await startLocalServer('postgres', 'hardened', { postgresVersion: SYSTEM_POSTGRES_MAJOR });
    try {
      const direct = await probeDirectTls(endpointOf(server), { host: server.host });
      assert.equal(direct.outcome, 'not-accepted', direct.reason);
    } finally {
      await server.stop();
    }
  });
});
