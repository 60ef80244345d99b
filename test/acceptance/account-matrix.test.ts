/**
 * The acceptance test for authentication and access control: against a hardened server every
 * applicable account control passes; against each weakened configuration exactly the controls it
 * weakens fail. Real PostgreSQL and MariaDB servers, with the intrusive probes opted in.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { runTarget } from '../../src/runner/run-target.js';
import type { Engine, ProfileName, Target } from '../../src/targets/target.js';
import { CATALOGUE, areaOf } from '../../src/controls/catalogue.js';
import { reasonNotApplicable } from '../../src/controls/applicability.js';

const ACCOUNT_CONTROLS = CATALOGUE.map((control) => control.id).filter((id) => ['auth', 'access'].includes(areaOf(id)));
/** Controls the fixtures give nothing to judge: they are skipped with a reason, like on any such target. */
const NOTHING_DECLARED = ['auth.entra-token'];

interface Row {
  configuration: string;
  profile?: ProfileName;
  /** Only where the engine can express the weakness; elsewhere the configuration equals hardened. */
  engines?: Engine[];
  fails: string[] | Record<Engine, string[]>;
}

const MATRIX: Row[] = [
  { configuration: 'hardened', fails: [] },
  { configuration: 'hardened', profile: 'strict', fails: ['auth.password-disabled'] },
  // On PostgreSQL the account is a person's by the lab's declaration (not a declared workload), and
  // VALID UNTIL does not end a trust login: its expiry bounds nothing (access.time-bound).
  { configuration: 'passwordless-account', fails: { postgres: ['auth.no-passwordless', 'access.time-bound'], mysql: ['auth.no-passwordless'] } },
  // An anonymous account matches every user name, so "root" with no password gets in as well.
  { configuration: 'anonymous-account', engines: ['mysql'], fails: ['auth.no-anonymous', 'auth.no-default-admin'] },
  { configuration: 'legacy-password-hashing', fails: { postgres: ['auth.scram'], mysql: ['auth.strong-plugin'] } },
  { configuration: 'superuser-app', fails: ['access.app-not-superuser'] },
  // MariaDB's variant grants FILE and CREATE USER: CREATE USER changes an administrator's password
  // (ALTER USER) and logs in as it, so the application is an administrator in all but name too. So
  // is PostgreSQL's before 16 (this matrix runs 15): CREATEROLE grants itself pg_execute_server_program.
  { configuration: 'privileged-app', fails: ['access.least-privilege', 'access.app-not-superuser'] },
  { configuration: 'public-schema-create', engines: ['postgres'], fails: ['access.public-schema'] },
  { configuration: 'wildcard-host', engines: ['mysql'], fails: ['access.no-wildcard-hosts'] },
  { configuration: 'human-without-expiry', engines: ['postgres'], fails: ['access.time-bound'] },
  { configuration: 'human-distant-expiry', engines: ['postgres'], fails: ['access.time-bound'] },
  { configuration: 'unmasked-column', fails: ['access.masking'] },
  { configuration: 'no-lockout-policy', fails: ['auth.lockout'] },
  { configuration: 'default-admin-password', fails: ['auth.no-default-admin'] },
  // Login paths beyond the application account and its database (each was once a false pass).
  { configuration: 'md5-second-role', engines: ['postgres'], fails: ['auth.scram'] },
  // Trust lets the person in too, past the expiry that ends only password logins (access.time-bound).
  { configuration: 'trust-other-database', engines: ['postgres'], fails: ['auth.no-passwordless', 'access.time-bound'] },
  { configuration: 'trust-replication', engines: ['postgres'], fails: ['auth.no-passwordless', 'access.time-bound'] },
  // COPY ... PROGRAM runs as the server's operating-system user, who logs in as postgres: a superuser in all but name.
  { configuration: 'server-program-app', engines: ['postgres'], fails: ['access.least-privilege', 'access.app-not-superuser'] },
  // pg_read_file reads every file of the data directory, pg_authid's among them, past every grant: superuser-level, as pg_read_server_files.
  { configuration: 'server-file-function-grant', engines: ['postgres'], fails: ['access.least-privilege', 'access.app-not-superuser'] },
  // A routine that runs with the administrator's rights, which non-admin accounts may call (once a false pass).
  // It runs any statement it is given (PostgreSQL: EXECUTE $1 as postgres; MariaDB: PREPARE s FROM
  // statement as root), and the application may call it: a superuser in all but name (once a false
  // pass of access.app-not-superuser too, on both engines).
  { configuration: 'superuser-definer-routine', fails: ['access.least-privilege', 'access.app-not-superuser'] },
  { configuration: 'passwordless-elsewhere', engines: ['mysql'], fails: ['auth.no-passwordless'] },
];

function expectedVerdicts(row: Row, engine: Engine, target: Target): Record<string, string> {
  const fails = Array.isArray(row.fails) ? row.fails : row.fails[engine];
  return Object.fromEntries(
    ACCOUNT_CONTROLS.map((id) => [
      id,
      fails.includes(id) ? 'failed' : reasonNotApplicable(id, target) || NOTHING_DECLARED.includes(id) ? 'skipped' : 'passed',
    ]),
  );
}

const outDir = await mkdtemp(join(tmpdir(), 'dbcomply-accounts-'));
after(async () => {
  await stopAllLocalServers();
  await rm(outDir, { recursive: true, force: true });
});

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`account controls against ${engine === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    for (const row of MATRIX.filter((candidate) => !candidate.engines || candidate.engines.includes(engine))) {
      const profile = row.profile ?? 'baseline';
      test(`${row.configuration} (${profile} profile, intrusive probes on)`, async () => {
        const server = await startLocalServer(engine, row.configuration);
        try {
          const target = targetForLocalServer(`${engine}-${row.configuration}-${profile}`, server, profile, true);
          const result = await runTarget(target, outDir, '@area:auth or @area:access');
          const reasons = Object.entries(result.reasons).map(([id, reason]) => `${id}: ${reason}`).join('\n');
          assert.deepEqual(result.controls, expectedVerdicts(row, engine, target), reasons);
        } finally {
          await server.stop();
        }
      });
    }
  });
}
