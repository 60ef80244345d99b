/**
 * Catalog reads on Entra-only servers, against real local servers with the local identity stand-in
 * in place of Entra ID (each server checks the token through PAM): a target that declares no
 * password at all, only `entra:`, gets its catalog controls decided, read as the Entra principal
 * with one token for the run; a token from an issuer the server does not trust leaves them
 * undecided, naming the refusal; and when the one password to hand is refused (as an Entra-only
 * server refuses local passwords), the session falls back to the token, while auth.password-disabled
 * still counts only password logins. One server per engine.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startLocalServer, stopAllLocalServers, STAND_IN_PRINCIPAL, type LocalServer } from '../../src/lab/local-server.js';
import { IdentityStandIn } from '../../src/lab/identity-stand-in/identity-stand-in.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { checkFor } from '../../src/probes/checks.js';
import { decideControl, observeControl } from '../../src/probes/control-observation.js';
import { TargetContext } from '../../src/probes/target-context.js';
import { knownSecrets, rememberEntraClientSecret, rememberPassword } from '../../src/targets/secret-store.js';
import type { ControlId } from '../../src/controls/catalogue.js';
import type { Decision } from '../../src/controls/verdict.js';
import type { Engine, ProfileName, Target } from '../../src/targets/target.js';
import { asPostgresAdmin } from '../support/postgres-admin.js';
import { asMariaDbRoot } from '../support/mariadb-admin.js';

/**
 * Catalog controls the lab's Entra principal (no grants beyond logging in) can read on each engine,
 * and that pass on a hardened server. Not backup.pitr-ready on MariaDB: the binary log's database
 * filters need BINLOG MONITOR, which the principal lacks, so it is undecided there (asserted below).
 */
const CATALOG_CONTROLS: Record<Engine, ControlId[]> = {
  postgres: ['access.app-not-superuser', 'audit.connections-logged', 'backup.pitr-ready'],
  mysql: ['audit.audit-extension', 'audit.connections-logged'],
};

const STAND_IN_READ_AS = new RegExp(`read as the Entra principal "${STAND_IN_PRINCIPAL}" with a token from the local identity stand-in at https://127\\.0\\.0\\.1:\\d+ \\(not Microsoft Entra ID\\)`);

let otherIssuer: IdentityStandIn;
before(async () => {
  otherIssuer = await IdentityStandIn.start();
});
after(() => Promise.all([stopAllLocalServers(), otherIssuer?.stop()]));

/** The lab server's target under a new name: no auditor, no masked role, and a password only if given. */
function declaredAs(name: string, server: LocalServer, options: { profile?: ProfileName; loginPassword?: string; entraFrom?: IdentityStandIn } = {}): Target {
  const lab = targetForLocalServer(`${name}-lab`, server, options.profile ?? 'baseline');
  if (options.loginPassword !== undefined) rememberPassword(name, options.loginPassword);
  let entra = lab.entra!;
  if (options.entraFrom) {
    const registration = options.entraFrom.register(STAND_IN_PRINCIPAL);
    rememberEntraClientSecret(name, registration.clientSecret);
    entra = { ...entra, tenantId: options.entraFrom.tenantId, clientId: registration.clientId, authorityHost: options.entraFrom.authorityHost, caFile: options.entraFrom.caFile };
  } else {
    rememberEntraClientSecret(name, server.identityStandIn!.clientSecret);
  }
  return { ...lab, name, auditor: undefined, masking: undefined, entra };
}

/** Decides the controls in one context, as a run does; returns the decisions and how many tokens the run acquired. */
async function decide(target: Target, ids: ControlId[]): Promise<{ decisions: Record<string, Decision>; tokensAcquired: number }> {
  const tokensBefore = knownTokens();
  const context = new TargetContext(target);
  try {
    const decisions: Record<string, Decision> = {};
    await Promise.all(ids.map(async (id) => (decisions[id] = decideControl(checkFor(id), await observeControl(context, checkFor(id)), target))));
    return { decisions, tokensAcquired: knownTokens() - tokensBefore };
  } finally {
    await context.close();
  }
}

/** Every token the process acquired is registered for redaction the moment it exists. */
const knownTokens = () => knownSecrets().filter((secret) => /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(secret)).length;

for (const engine of ['postgres', 'mysql'] as const) {
  describe(`catalog reads with an Entra token on ${engine}`, () => {
    let server: LocalServer;
    before(async () => {
      server = await startLocalServer(engine, 'hardened', { withIdentityStandIn: true });
    });

    test('no password declared, only entra: the catalog controls are decided, read as the Entra principal, with one token', async () => {
      const target = declaredAs(`entra-only-${engine}`, server);
      const { decisions, tokensAcquired } = await decide(target, CATALOG_CONTROLS[engine]);
      for (const [id, decision] of Object.entries(decisions)) {
        assert.equal(decision.verdict, 'passed', `${id}: ${decision.reason}`);
        assert.match(decision.reason, STAND_IN_READ_AS, id);
        assert.match(decision.reason, /\(no password for the declared accounts\)/, id);
      }
      assert.equal(tokensAcquired, 1, 'one token for the run, shared by every catalog read');
      if (engine === 'mysql') {
        const pitr = (await decide(target, ['backup.pitr-ready'])).decisions['backup.pitr-ready'];
        assert.equal(pitr.verdict, 'undecided', pitr.reason);
        assert.match(pitr.reason, /database filters \(binlog-do-db, binlog-ignore-db\) could not be read/);
        assert.match(pitr.reason, STAND_IN_READ_AS);
      }
    });

    test('a token from an issuer the server does not trust: the catalog controls are undecided, naming the refusal', async () => {
      const target = declaredAs(`entra-other-issuer-${engine}`, server, { entraFrom: otherIssuer });
      const { decisions } = await decide(target, CATALOG_CONTROLS[engine]);
      for (const [id, decision] of Object.entries(decisions)) {
        assert.equal(decision.verdict, 'undecided', `${id}: ${decision.reason}`);
        assert.match(decision.reason, new RegExp(`cannot log in as "${STAND_IN_PRINCIPAL}" with an Entra token \\(server certificate verified\\) to read the catalog: refused-by-authentication \\[(28000|1045)\\]`), id);
      }
    });

    // Last: it takes the application account's password away on the shared server.
    test('the login password refused (local passwords off): the catalog is read with the token instead, and auth.password-disabled counts only the password login', async () => {
      if (engine === 'postgres') await asPostgresAdmin(server, ['ALTER ROLE app PASSWORD NULL']);
      else await asMariaDbRoot(server)(`ALTER USER 'app'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('${randomBytes(12).toString('hex')}')`);
      const target = declaredAs(`entra-password-refused-${engine}`, server, { profile: 'strict', loginPassword: server.password });
      const { decisions } = await decide(target, ['audit.connections-logged', 'auth.password-disabled']);
      const read = decisions['audit.connections-logged'];
      assert.equal(read.verdict, 'passed', read.reason);
      assert.match(read.reason, STAND_IN_READ_AS);
      assert.match(read.reason, /could not log in as "app" with its password to read the catalog: refused-by-authentication \[(28P01|1045)\]/);
      const disabled = decisions['auth.password-disabled'];
      if (engine === 'mysql') {
        // Refused as bad credentials, as an outdated declared password would be: with no Azure switch to corroborate it, not a pass.
        assert.equal(disabled.verdict, 'undecided', disabled.reason);
        assert.match(disabled.reason, /^the one declared local account \("app"\) was refused with the declared password.*the same answer a wrong or outdated declared password gets/);
      } else {
        // The other databases, listed through the token session (no password gets in to list them), were tried too;
        // the hardened lab's logical replication line for app cannot be tried with a password login, so not a pass.
        assert.equal(disabled.verdict, 'undecided', disabled.reason);
        assert.match(disabled.reason, /^every password login tried was refused \(1 declared account tried, and [1-9]\d* logins to other databases their login paths are open to\), but 1 replication login paths/);
      }
      assert.ok(!disabled.reason.includes(STAND_IN_PRINCIPAL), `the Entra principal is no password login: ${disabled.reason}`);
    });
  });
}
