/**
 * No secret in any output: the CLI runs against real servers with real passwords, a wrong
 * password, a password for a server that does not answer, auditor and masked-role passwords and the
 * sensitive column values the masking check compares, and logs in with Entra-style tokens from the
 * local identity stand-in (for auth.entra-token, and as the catalog session of a target that
 * declares no password at all), and reads a foreign server's user mapping that holds a password;
 * then every byte it wrote or printed is searched for each secret,
 * raw, JSON-escaped, base64- and URL-encoded, and for anything shaped like a JWT.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, stopAllLocalServers } from '../../src/lab/local-server.js';
import { runCli } from './run-command.js';
import { CUSTOMER_ROWS } from '../../src/lab/fixture-accounts.js';
import { targetForLocalServer } from '../../src/lab/lab-target.js';
import { asPostgresAdmin } from '../support/postgres-admin.js';
import { attemptLogin } from '../../src/sessions/login-attempt.js';
import { failedLoginsRecorded } from '../../src/probes/audit/failed-logins-recorded.js';
import { linesNaming } from '../../src/probes/audit/detonation.js';
import { observeWith } from '../../src/probes/control-observation.js';
import { TargetContext } from '../../src/probes/target-context.js';
import type { LogReader } from '../../src/probes/audit/log-reader.js';

const work = await mkdtemp(join(tmpdir(), 'dbcomply-canary-'));
after(async () => {
  await stopAllLocalServers();
  await rm(work, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** Polls a log reader for up to 5 s until what was written since `position` names `marker`; returns the last read. */
async function readUntil<Position>(reader: LogReader<Position>, position: Position, marker: string): Promise<string> {
  let text = '';
  for (let tries = 0; tries < 50 && !text.includes(marker); tries++) {
    text = await reader.readSince(position);
    if (!text.includes(marker)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return text;
}

function forms(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
}

test('no password or token reaches stdout, stderr, a report, results, JUnit or the message stream', async () => {
  // A local process: the user mapping below is made as its superuser over the Unix socket.
  const postgres = await startLocalServer('postgres', 'plaintext-allowed', { mode: 'process' });
  // A user mapping the application may use, holding a password: pg_user_mappings shows it to the application itself (the pg-right target reads as it).
  const mappingPassword = `Canary-mapping-${randomBytes(6).toString('hex')}`;
  await asPostgresAdmin(postgres, [
    'CREATE EXTENSION postgres_fdw',
    `CREATE SERVER canary_link FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${postgres.port}', dbname 'app')`,
    `CREATE USER MAPPING FOR ${postgres.user} SERVER canary_link OPTIONS (user 'postgres', password '${mappingPassword}')`,
    `GRANT USAGE ON FOREIGN SERVER canary_link TO ${postgres.user}`,
  ]);
  const mariadb = await startLocalServer('mysql', 'hardened', { withIdentityStandIn: true });
  const standIn = mariadb.identityStandIn!;
  // The Entra principal both MariaDB targets declare (the token's client secret comes from the environment).
  const entraLines = [
    '    entra:',
    `      user: ${standIn.principal}`,
    `      tenantId: ${standIn.tenantId}`,
    `      clientId: ${standIn.clientId}`,
    '      clientSecretEnv: DBCOMPLY_CANARY_ENTRA_SECRET',
    `      authorityHost: ${standIn.authorityHost}`,
    `      caFile: ${standIn.caFile}`,
  ];
  const wrongPassword = `Canary-wrong-${randomBytes(6).toString('hex')}`;
  const unreachablePassword = `Canary-unreachable-${randomBytes(6).toString('hex')}`;
  const config = join(work, 'targets.yaml');
  await writeFile(
    config,
    [
      'targets:',
      '  - name: mariadb-from-config',
      `    url: mysql://${mariadb.user}@${mariadb.host}:${mariadb.port}/${mariadb.database}`,
      '    passwordEnv: DBCOMPLY_CANARY_PASSWORD',
      `    caFile: ${mariadb.caFile}`,
      '    intrusive: true',
      `    lockoutUser: ${mariadb.accounts!.lockoutUser}`,
      `    auditor: { user: ${mariadb.accounts!.auditor.user}, passwordEnv: DBCOMPLY_CANARY_AUDITOR }`,
      '    masking:',
      `      role: ${mariadb.accounts!.masked.role}`,
      '      passwordEnv: DBCOMPLY_CANARY_MASKED',
      `      columns: [${mariadb.accounts!.masked.columns.join(', ')}]`,
      ...entraLines,
      '      expiryWait: 15000',
      // Entra-only: no password anywhere, so the catalog session logs in with the principal's token.
      '  - name: mariadb-entra-only',
      `    url: mysql://${mariadb.user}@${mariadb.host}:${mariadb.port}/${mariadb.database}`,
      `    caFile: ${mariadb.caFile}`,
      ...entraLines,
      // Strict: auth.password-disabled logs in as every declared account, on every database open to it.
      '  - name: pg-strict-from-config',
      `    url: postgres://${postgres.user}@${postgres.host}:${postgres.port}/${postgres.database}`,
      '    profile: strict',
      '    passwordEnv: DBCOMPLY_CANARY_PG_PASSWORD',
      `    caFile: ${postgres.caFile}`,
      `    auditor: { user: ${postgres.accounts!.auditor.user}, passwordEnv: DBCOMPLY_CANARY_PG_AUDITOR }`,
      '    masking:',
      `      role: ${postgres.accounts!.masked.role}`,
      '      passwordEnv: DBCOMPLY_CANARY_PG_MASKED',
      `      columns: [${postgres.accounts!.masked.columns.join(', ')}]`,
      '',
    ].join('\n'),
  );
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const signingPem = signingKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const signingKeyBody = signingPem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
  const signingKeyScalar = Buffer.from(signingKey.export({ format: 'jwk' }).d!, 'base64url').toString('base64');
  await writeFile(join(work, 'signing.pem'), signingPem, { mode: 0o600 });
  const out = join(work, 'out');
  const run = await runCli(
    [
      'run',
      '--target', `postgres://${postgres.user}:${encodeURIComponent(postgres.password)}@${postgres.host}:${postgres.port}/${postgres.database}?name=pg-right&sslrootcert=${postgres.caFile}`,
      '--target', `postgres://${postgres.user}:${wrongPassword}@${postgres.host}:${postgres.port}/${postgres.database}?name=pg-wrong`,
      '--target', `mysql://app:${unreachablePassword}@127.0.0.1:1/app?name=nowhere&timeout=500`,
      '--config', config,
      '--out', out,
      '--signing-key', join(work, 'signing.pem'),
    ],
    {
      env: {
        DBCOMPLY_CANARY_PASSWORD: mariadb.password,
        DBCOMPLY_CANARY_AUDITOR: mariadb.accounts!.auditor.password,
        DBCOMPLY_CANARY_MASKED: mariadb.accounts!.masked.password,
        DBCOMPLY_CANARY_ENTRA_SECRET: standIn.clientSecret,
        DBCOMPLY_CANARY_PG_PASSWORD: postgres.password,
        DBCOMPLY_CANARY_PG_AUDITOR: postgres.accounts!.auditor.password,
        DBCOMPLY_CANARY_PG_MASKED: postgres.accounts!.masked.password,
      },
    },
  );
  assert.ok(run.code === 1, `the run completes with failures (plaintext allowed, wrong password); got ${run.code}: ${run.stderr}`);
  const outputs: Array<[string, string]> = [['stdout', run.stdout], ['stderr', run.stderr]];
  for (const file of await filesUnder(out)) outputs.push([file, await readFile(file, 'utf8')]);
  assert.ok(outputs.length >= 10, 'reports were written');
  const sensitiveValues = CUSTOMER_ROWS.map(([, , ssn]) => ssn);
  // The tokens exist only inside the CLI process; any compact JWS, or the stand-in's JWT header, in the output is one of them.
  for (const [where, text] of outputs) {
    assert.doesNotMatch(text, /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/, `a token appears in ${where}`);
    assert.ok(!text.includes(Buffer.from('{"alg":"ES256"').toString('base64url').slice(0, 16)), `a token header appears in ${where}`);
  }
  for (const secret of [mappingPassword, postgres.password, postgres.accounts!.auditor.password, postgres.accounts!.masked.password, mariadb.password, mariadb.accounts!.auditor.password, mariadb.accounts!.masked.password, wrongPassword, unreachablePassword, standIn.clientSecret, signingKeyBody, signingKeyScalar, ...sensitiveValues]) {
    for (const form of forms(secret)) {
      for (const [where, text] of outputs) assert.ok(!text.includes(form), `a secret appears in ${where}`);
    }
  }
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  const byName = Object.fromEntries(results.targets.map((target: { name: string }) => [target.name, target]));
  assert.equal(byName['pg-right'].controls['transport.tls-required'], 'failed');
  assert.match(byName['pg-right'].server.versionSource, /after a TLS login/, 'the real PostgreSQL password was really used');
  assert.match(byName['pg-right'].reasons['access.app-not-superuser'], /may log in as "postgres" through foreign server "canary_link" .*: a stored password, to host 127\.0\.0\.1/, 'the user mapping with the password was really read');
  assert.equal(byName['pg-wrong'].server.version, undefined, 'the wrong password was really tried');
  assert.equal(byName['mariadb-from-config'].controls['transport.tls-required'], 'passed', 'the password from the environment was really used');
  assert.match(byName['mariadb-from-config'].reasons['access.app-not-superuser'], /declared auditor/, "the auditor's password was really used");
  assert.equal(byName['mariadb-from-config'].controls['access.masking'], 'passed', "the masked role's password was really used");
  assert.equal(byName['mariadb-from-config'].controls['auth.lockout'], 'passed', 'the intrusive probes ran');
  assert.equal(byName['mariadb-from-config'].controls['auth.entra-token'], 'passed', `tokens were really acquired and used: ${byName['mariadb-from-config'].reasons['auth.entra-token']}`);
  const entraOnly = byName['mariadb-entra-only'];
  assert.equal(entraOnly.controls['audit.connections-logged'], 'passed', `the Entra-only target's catalog was really read: ${entraOnly.reasons['audit.connections-logged']}`);
  assert.match(entraOnly.reasons['audit.connections-logged'], new RegExp(`read as the Entra principal "${standIn.principal}" with a token from the local identity stand-in`), 'with a token');
  assert.match(
    byName['pg-strict-from-config'].reasons['auth.password-disabled'],
    new RegExp(`"${postgres.user}", "${postgres.accounts!.auditor.user}", "${postgres.accounts!.masked.role}" logged in`),
    'every declared account was really logged in with its password',
  );
});

test('log reading: a password typed as a user name stays out of the failed-logins evidence and reason', async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-log-canary', server, 'baseline');
    // Someone types the application's password where the user name goes: the server logs it as a user name.
    await attemptLogin(target, { user: server.password, password: 'x' }, 'tls');
    const [logFile] = server.logFiles!;
    assert.ok((await readFile(logFile, 'utf8')).includes(server.password), 'the server log really holds the password typed as a user name');

    const observed = await observeWith(failedLoginsRecorded, new TargetContext(target));
    assert.equal(observed.kind, 'observed', JSON.stringify(observed));
    const evidence = observed.kind === 'observed' ? observed.evidence : undefined;
    assert.ok(evidence && evidence.search.found.length > 0, 'marker lines were found');
    const shown = JSON.stringify(evidence) + failedLoginsRecorded.judge(evidence!, target).reason;
    for (const form of forms(server.password)) assert.ok(!shown.includes(form), 'the password appears in the evidence or reason');

    // A line that names the marker and a known secret both: the line is kept, the secret redacted.
    const marker = evidence!.marker;
    const mixed = `FATAL: password authentication failed for user "${marker}" from 127.0.0.1 after "${server.password}"\n`;
    const [line] = linesNaming(mixed, marker, 'now');
    assert.ok(!line.line.includes(server.password) && line.line.includes('[redacted]'), line.line);
  } finally {
    await server.stop();
  }
});

test('log reading over SQL: a password typed as a user name, read back through pg_read_file, stays out of the evidence and reason', async () => {
  const { PostgresLogOverSql } = await import('../../src/probes/audit/postgres-log-over-sql.js');
  const { newMarker } = await import('../../src/probes/audit/detonation.js');
  const server = await startLocalServer('postgres', 'log-read-over-sql', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-sql-log-canary', server, 'baseline');
    assert.equal(target.logs, undefined, 'no log file is declared: the SQL source is what reads the log');
    const context = new TargetContext(target);
    try {
      const offer = await PostgresLogOverSql.offer(context.catalog);
      assert.ok(offer.offered, offer.offered ? '' : offer.reason);
      const position = await offer.reader.position();
      // A password typed where the user name goes, in a line that also names a marker: the SQL read returns it raw...
      const marker = newMarker();
      await attemptLogin(target, { user: `${marker}-${server.password}`, password: 'x' }, 'tls');
      const text = await readUntil(offer.reader, position, marker);
      assert.ok(text.includes(server.password), 'the log read over SQL really holds the password typed as a user name');
      // ...and the lines that enter evidence pass the redaction gate.
      const lines = linesNaming(text, marker, 'now');
      assert.ok(lines.length > 0, 'the marker line was read over SQL');
      for (const line of lines) for (const form of forms(server.password)) assert.ok(!line.line.includes(form), line.line);
      assert.ok(lines.some((line) => line.line.includes('[redacted]')));
    } finally {
      await context.close();
    }

    // The whole control over SQL: the password is in the log, never in the evidence or reason.
    const observed = await observeWith(failedLoginsRecorded, new TargetContext(target));
    assert.equal(observed.kind, 'observed', JSON.stringify(observed));
    const evidence = observed.kind === 'observed' ? observed.evidence : undefined;
    assert.match(evidence?.source ?? '', /^pg_read_file on /);
    assert.ok(evidence && evidence.search.found.length > 0, 'marker lines were found');
    const shown = JSON.stringify(evidence) + failedLoginsRecorded.judge(evidence!, target).reason;
    for (const form of forms(server.password)) assert.ok(!shown.includes(form), 'the password appears in the evidence or reason');
  } finally {
    await server.stop();
  }
});

test('log reading over SQL: a password typed as a user name, read back from mysql.general_log, stays out of the marker lines', async () => {
  const { MariaDbGeneralLogTable } = await import('../../src/probes/audit/mariadb-general-log-table.js');
  const { newMarker } = await import('../../src/probes/audit/detonation.js');
  const server = await startLocalServer('mysql', 'log-read-over-sql', { mode: 'process' });
  try {
    const target = targetForLocalServer('mariadb-sql-log-canary', server, 'baseline');
    const context = new TargetContext(target);
    try {
      const marker = newMarker();
      const offer = await MariaDbGeneralLogTable.offer(context.catalog, marker);
      assert.ok(offer.offered, offer.offered ? '' : offer.reason);
      const position = await offer.reader.position();
      await attemptLogin(target, { user: `${marker}-${server.password}`, password: 'x' }, 'tls');
      const text = await readUntil(offer.reader, position, marker);
      assert.ok(text.includes(server.password), 'the general log table really holds the password typed as a user name');
      const lines = linesNaming(text, marker, 'now');
      assert.ok(lines.length > 0, 'the refusal row was read over SQL');
      for (const line of lines) for (const form of forms(server.password)) assert.ok(!line.line.includes(form), line.line);
    } finally {
      await context.close();
    }
  } finally {
    await server.stop();
  }
});

/**
 * The Azure plane's secrets: the service principal's client secret and the tokens it gets for ARM
 * and for Key Vault (after Key Vault's challenge). Every plane check runs against the Azure
 * stand-in, on servers that pass, fail, and refuse the principal (403), and with a wrong secret;
 * then every piece of evidence and every reason, raw and after the redaction gate, is searched for
 * each secret, and for anything shaped like a token. The tokens must have been registered for
 * redaction by the plane's credential, both audiences, and really used (Key Vault served keys).
 */
test('no Azure client secret or ARM / Key Vault token reaches plane evidence or reasons, and the redaction gate knows every token', async () => {
  const { AzureStandIn } = await import('../../src/lab/azure-stand-in/azure-stand-in.js');
  const { pgServerId } = await import('../../src/lab/azure-stand-in/stand-in-fleet.js');
  const { PLANE_CHECKS } = await import('../../src/probes/plane/plane-checks.js');
  const { observeWith } = await import('../../src/probes/control-observation.js');
  const { TargetContext } = await import('../../src/probes/target-context.js');
  const { rememberAzureClientSecret, knownSecrets } = await import('../../src/targets/secret-store.js');
  const { redact } = await import('../../src/report/redact.js');
  const standIn = await AzureStandIn.start();
  try {
    const outputs: string[] = [];
    const secrets: string[] = [];
    const cases: Array<[string, { armReader: boolean; vaultReader: boolean }, boolean]> = [
      ['pg-compliant', { armReader: true, vaultReader: true }, false],
      ['pg-key-too-small', { armReader: true, vaultReader: true }, false],
      ['pg-compliant', { armReader: true, vaultReader: false }, false],
      ['pg-compliant', { armReader: false, vaultReader: false }, false],
      ['pg-compliant', { armReader: true, vaultReader: true }, true],
    ];
    for (const [index, [server, roles, wrongSecret]] of cases.entries()) {
      const registration = standIn.register(roles);
      const name = `plane-canary-${index}`;
      const secret = wrongSecret ? `Canary-wrong-${randomBytes(9).toString('hex')}` : registration.clientSecret;
      secrets.push(secret);
      rememberAzureClientSecret(name, secret);
      const context = new TargetContext({
        name, engine: 'postgres', host: server, port: 5432, profile: 'strict', timeoutMs: 5000, minCertDaysLeft: 30, planeOnly: true,
        azure: { resourceId: pgServerId(server), tenantId: standIn.tenantId, clientId: registration.clientId, authorityHost: standIn.authorityHost, armEndpoint: standIn.armEndpoint, caFile: standIn.caFile },
      });
      for (const check of PLANE_CHECKS) {
        const observation = await observeWith(check, context);
        outputs.push(JSON.stringify(observation));
        if (observation.kind === 'observed') outputs.push(JSON.stringify(check.judge(observation.evidence, context.target)));
      }
    }
    const tokens = knownSecrets().filter((secret) => /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(secret));
    const audiences = new Set(tokens.map((token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).aud as string));
    assert.ok(audiences.has(standIn.armEndpoint), 'an ARM token was acquired and registered for redaction');
    assert.ok([...standIn.fleet.vaults.values()].some((vault) => audiences.has(vault.url)), 'a Key Vault token was acquired and registered for redaction');
    assert.ok(standIn.requests.some((request) => request.service !== 'arm' && request.status === 200), 'Key Vault served keys to those tokens');
    assert.ok(outputs.some((text) => /AuthorizationFailed/.test(text)) && outputs.some((text) => /invalid_client|could not get a token/.test(text)), 'the 403 and wrong-secret paths ran');
    for (const text of outputs) {
      for (const shown of [text, redact(text)]) {
        assert.doesNotMatch(shown, /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/, 'a token appears in plane evidence');
        for (const secret of [...secrets, ...tokens]) for (const form of forms(secret)) assert.ok(!shown.includes(form), 'a secret appears in plane evidence');
      }
    }
    // The gate scrubs them wherever they might still surface (an SDK log, an error from elsewhere).
    for (const secret of [...secrets, ...tokens]) assert.ok(!redact(`x ${secret} y`).includes(secret));
  } finally {
    await standIn.stop();
  }
});
