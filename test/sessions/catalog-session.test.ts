/**
 * Whom the catalog session logs in as (auditor password > login password > Entra token), and the
 * run's shared Entra token: reused while it outlives the login, renewed when it would not, and a
 * failure to get one is a CannotObserve that names the reason but never the client secret. The
 * token requests go over HTTPS to the local identity stand-in; no database server is needed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { catalogAccounts, catalogCredentials, CatalogSession } from '../../src/sessions/catalog-session.js';
import { EntraTokenSource } from '../../src/probes/identity/entra-token-source.js';
import { IdentityStandIn } from '../../src/lab/identity-stand-in/identity-stand-in.js';
import { STAND_IN_PRINCIPAL } from '../../src/lab/local-server.js';
import { CannotObserve } from '../../src/controls/observation.js';
import { rememberAccountPassword, rememberEntraClientSecret, rememberPassword } from '../../src/targets/secret-store.js';
import { DEFAULT_MIN_CERT_DAYS_LEFT, DEFAULT_TIMEOUT_MS, type EntraLogin, type Target } from '../../src/targets/target.js';

const ENTRA: EntraLogin = { user: 'reader@example.org', expiryWaitMs: 0 };

function target(name: string, declared: Partial<Target>): Target {
  return { name, engine: 'postgres', host: '127.0.0.1', port: 1, profile: 'baseline', timeoutMs: DEFAULT_TIMEOUT_MS, minCertDaysLeft: DEFAULT_MIN_CERT_DAYS_LEFT, ...declared };
}

const whom = (target: Target) => catalogAccounts(target).map((account) => (account.kind === 'password' ? account.credentials.user : `token:${account.user}`));

describe('catalogCredentials: whom the catalog session logs in as', () => {
  test('the auditor with its password comes first, then the Entra token; the login password is not tried', () => {
    rememberAccountPassword('order-auditor', 'auditor', 'a');
    rememberPassword('order-auditor', 'l');
    const declared = target('order-auditor', { user: 'app', auditor: 'auditor', entra: ENTRA });
    assert.deepEqual(whom(declared), ['auditor', 'token:reader@example.org']);
    assert.equal(catalogCredentials(declared)?.note, 'read as the declared auditor "auditor"');
  });

  test('an auditor without a password gives way to the login account with its password, then the token', () => {
    rememberPassword('order-login', 'l');
    const declared = target('order-login', { user: 'app', auditor: 'auditor-without-password', entra: ENTRA });
    assert.deepEqual(whom(declared), ['app', 'token:reader@example.org']);
    assert.equal(catalogCredentials(declared)?.note, 'read as the login account "app" (no auditor account declared)');
  });

  test('no password at all: the Entra principal, and the note says so', () => {
    const first = catalogCredentials(target('order-entra-only', { user: 'app', entra: ENTRA }));
    assert.equal(first?.kind, 'entra-token');
    assert.equal(first?.note, 'read as the Entra principal "reader@example.org" with a token');
    assert.equal(first?.kind === 'entra-token' && first.because, 'no password for the declared accounts');
    assert.deepEqual(whom(target('order-entra-only', { entra: ENTRA })), ['token:reader@example.org']);
  });

  test('neither a password nor an Entra principal: nothing to log in as', () => {
    assert.equal(catalogCredentials(target('order-nothing', { user: 'app', auditor: 'auditor' })), undefined);
  });
});

describe('the Entra token a run shares', () => {
  let longLived: IdentityStandIn;
  let shortLived: IdentityStandIn;
  before(async () => {
    [longLived, shortLived] = await Promise.all([IdentityStandIn.start({ tokenLifetimeSeconds: 600 }), IdentityStandIn.start()]);
  });
  after(() => Promise.all([longLived?.stop(), shortLived?.stop()]));

  function entraTarget(name: string, standIn: IdentityStandIn, secret?: string): Target {
    const registration = standIn.register(STAND_IN_PRINCIPAL);
    rememberEntraClientSecret(name, secret ?? registration.clientSecret);
    return target(name, {
      entra: { user: STAND_IN_PRINCIPAL, tenantId: standIn.tenantId, clientId: registration.clientId, authorityHost: standIn.authorityHost, caFile: standIn.caFile, expiryWaitMs: 0 },
    });
  }

  test('a token that outlives the login is reused: one request for several logins', async () => {
    const tokens = new EntraTokenSource(entraTarget('token-reused', longLived));
    const [first, second] = await Promise.all([tokens.acquire(5000), tokens.acquire(5000)]);
    const third = await tokens.acquire(5000);
    assert.equal(first.evidence.outcome, 'acquired', JSON.stringify(first.evidence));
    // ES256 signatures are randomised: two requests never return the same token.
    assert.ok(first.token && first.token === second.token && first.token === third.token, 'the same token was handed out three times');
  });

  test('a token that would expire during the login is renewed', async () => {
    // The stand-in's tokens live 6 s: a login that may take 10 s needs a new one each time.
    const tokens = new EntraTokenSource(entraTarget('token-renewed', shortLived));
    const first = await tokens.acquire(10_000);
    const second = await tokens.acquire(10_000);
    assert.equal(second.evidence.outcome, 'acquired', JSON.stringify(second.evidence));
    assert.ok(first.token && second.token && first.token !== second.token, 'a new token was requested');
  });

  test('a token that cannot be got leaves the catalog unread, naming why, never the secret', async () => {
    const wrongSecret = `Canary-wrong-${randomBytes(9).toString('hex')}`;
    const session = new CatalogSession(entraTarget('token-refused', longLived, wrongSecret));
    const error = await session.read('anything', async () => 'never').then(() => undefined, (failure: unknown) => failure);
    assert.ok(error instanceof CannotObserve, String(error));
    assert.match(error.message, /^cannot get a token for the Entra principal "dbcomply-entra-app" from the local identity stand-in at https:\/\/127\.0\.0\.1:\d+ \(not Microsoft Entra ID\) with ClientSecretCredential to read the catalog: .*invalid_client/);
    assert.ok(!error.message.includes(wrongSecret), 'the client secret appears in the reason');
    await session.close();
  });
});
