import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failedLoginsRecorded, type FailedLoginsEvidence } from '../../../src/probes/audit/failed-logins-recorded.js';
import { addressesIn, awaitMarker, hostNamesIn, linesNaming, newMarker, type DetonatedLogin, type MarkerLine } from '../../../src/probes/audit/detonation.js';
import { LogSource } from '../../../src/probes/audit/log-source.js';
import { rememberPassword } from '../../../src/targets/secret-store.js';
import { REDACTED } from '../../../src/report/redact.js';
import { target } from './settings-fixtures.js';

const dir = await mkdtemp(join(tmpdir(), 'dbcomply-logs-'));
after(() => rm(dir, { recursive: true, force: true }));

const MARKER = 'dbc_probe_0123456789ab';
const refused = (at: string): DetonatedLogin => ({ user: MARKER, at, transport: 'tls', outcome: 'refused-by-authentication', serverCode: '28P01', elapsedMs: 3 });
const line = (text: string): MarkerLine => ({ line: text, addresses: addressesIn(text), hostNames: hostNamesIn(text, MARKER), seenAt: '2026-01-01T00:00:01.000Z' });
const evidence = (attempts: DetonatedLogin[], found: MarkerLine[], source = 'file /var/log/x.log'): FailedLoginsEvidence => ({
  source,
  marker: MARKER,
  absentBefore: true,
  attempts,
  search: { found, polls: 3, waitedMs: 250, timeoutMs: 5000 },
});
const TWO = [refused('2026-01-01T00:00:00.000Z'), refused('2026-01-01T00:00:00.100Z')];

const cases: Array<{ name: string; evidence: FailedLoginsEvidence; verdict: string; reason: RegExp }> = [
  {
    name: 'PostgreSQL line with %h',
    evidence: evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC [77] ${MARKER}@app from 127.0.0.1 FATAL:  password authentication failed for user "${MARKER}"`)]),
    verdict: 'passed',
    reason: /2 failed logins as dbc_probe_0123456789ab .* naming source address 127\.0\.0\.1/,
  },
  { name: 'MariaDB audit line, IPv6 client', evidence: evidence(TWO, [line(`20260101 00:00:00,vm,${MARKER},::1,5,0,FAILED_CONNECT,,,1045`)]), verdict: 'passed', reason: /::1/ },
  {
    name: 'over SQL: pg_read_file on the stderr file',
    evidence: evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC [77] ${MARKER}@app from 127.0.0.1 FATAL:  password authentication failed for user "${MARKER}"`)], 'pg_read_file on log/postgresql-2026-01-01_000000.log as role auditor'),
    verdict: 'passed',
    reason: /appeared in pg_read_file on log\/postgresql-2026-01-01_000000\.log as role auditor .* naming source address 127\.0\.0\.1/,
  },
  {
    name: 'over SQL: csvlog, the address as host:port',
    evidence: evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC,"${MARKER}","app",77,"127.0.0.1:51234",6,1,"authentication",2026-01-01 00:00:00 UTC,3/1,0,FATAL,28P01,"password authentication failed for user ""${MARKER}""",,,,,,,,,"","client backend",,0`)], 'pg_read_file on log/postgresql-2026-01-01_000000.csv as role auditor'),
    verdict: 'passed',
    reason: /\.csv as role auditor .* naming source address 127\.0\.0\.1$/,
  },
  {
    name: 'over SQL: jsonlog, IPv6 client',
    evidence: evidence(TWO, [line(`{"timestamp":"2026-01-01 00:00:00.050 UTC","user":"${MARKER}","dbname":"app","pid":77,"remote_host":"::1","remote_port":51234,"error_severity":"FATAL","state_code":"28P01","message":"password authentication failed for user \\"${MARKER}\\""}`)], 'pg_read_file on log/postgresql-2026-01-01_000000.json as role auditor'),
    verdict: 'passed',
    reason: /naming source address ::1$/,
  },
  {
    name: "MariaDB error log of a server that resolves client names (Debian's stock skip_name_resolve OFF)",
    evidence: evidence(TWO, [line(`2026-01-01  0:00:00 5 [Warning] Access denied for user '${MARKER}'@'localhost' (using password: YES)`)], 'file /var/log/mysql/error.log'),
    verdict: 'passed',
    reason: /naming the source by host name localhost \(the server logs the name it resolved/,
  },
  { name: 'MariaDB server_audit line with a resolved client name', evidence: evidence(TWO, [line(`20260101 00:00:00,vm,${MARKER},db-client.example,5,0,FAILED_CONNECT,,,1045`)]), verdict: 'passed', reason: /host name db-client\.example/ },
  {
    name: "a wildcard host in the line is no source: 'marker'@'%'",
    evidence: evidence(TWO, [line(`2026-01-01 [Note] user '${MARKER}'@'%' dropped`)]),
    verdict: 'failed',
    reason: /no line names the source address/,
  },
  {
    name: 'over SQL: a MariaDB general_log refusal row',
    evidence: evidence(TWO, [line(`2026-01-01 00:00:00.050000 [${MARKER}] @  [127.0.0.1] Connect Access denied for user '${MARKER}'@'127.0.0.1' (using password: YES)`)], 'table mysql.general_log as auditor@127.0.0.1'),
    verdict: 'passed',
    reason: /appeared in table mysql\.general_log as auditor@127\.0\.0\.1 .* naming source address 127\.0\.0\.1$/,
  },
  {
    name: 'over SQL: not recorded',
    evidence: evidence(TWO, [], 'pg_read_file on log/postgresql-2026-01-01_000000.log as role auditor'),
    verdict: 'failed',
    reason: /did not appear in pg_read_file on log\/postgresql-2026-01-01_000000\.log as role auditor within 250 ms/,
  },
  // log_hostname on: %h writes the client's name. The harness's address resolves to it.
  {
    name: 'PostgreSQL with log_hostname: the name the harness resolves to',
    evidence: { ...evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC [77] ${MARKER}@app from localhost FATAL:  password authentication failed for user "${MARKER}"`)]), harness: { address: '127.0.0.1', hostName: 'localhost' } },
    verdict: 'passed',
    reason: /naming the source by host name localhost \(the name the harness's address 127\.0\.0\.1 resolves to, which a server with log_hostname on writes in place of the address; log_hostname itself was not read\)$/,
  },
  {
    name: 'PostgreSQL with log_hostname: csvlog, name:port',
    evidence: { ...evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC,"${MARKER}","app",77,"client7.corp:51234",6,1,"authentication",,3/1,0,FATAL,28P01,"password authentication failed for user ""${MARKER}""",,,,,,,,,"","client backend",,0`)]), harness: { address: '10.0.0.7', hostName: 'client7.corp' } },
    verdict: 'passed',
    reason: /host name client7\.corp/,
  },
  {
    name: 'a longer name that only starts with the harness name is not it',
    evidence: { ...evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC [77] ${MARKER}@app from localhost.other.example FATAL`)]), harness: { address: '127.0.0.1', hostName: 'localhost' } },
    verdict: 'failed',
    reason: /no line names the source address; no line names localhost, the name the harness's address resolves to$/,
  },
  {
    name: 'the harness address resolves to no name',
    evidence: { ...evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC [77] ${MARKER}@app FATAL`)]), harness: { address: '10.0.0.7', lookup: '10.0.0.7 did not resolve: getnameinfo ENOTFOUND' } },
    verdict: 'failed',
    reason: /no line names the source address; 10\.0\.0\.7 did not resolve: getnameinfo ENOTFOUND$/,
  },
  // %d writes the database the logins asked for: a harness named like it cannot tell it from the client.
  {
    name: "the database the logins asked for is named like the harness's host: undecided",
    evidence: { ...evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC [77] ${MARKER}@postgres FATAL:  password authentication failed for user "${MARKER}"`)]), harness: { address: '127.0.1.1', hostName: 'postgres' }, database: 'postgres' },
    verdict: 'undecided',
    reason: /names postgres, the name the harness's address 127\.0\.1\.1 resolves to; but that is also the database the failed logins asked for/,
  },
  {
    name: "the database is another name: the harness's name in the line is the client's",
    evidence: { ...evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC [77] ${MARKER}@app from postgres FATAL:  password authentication failed for user "${MARKER}"`)]), harness: { address: '127.0.1.1', hostName: 'postgres' }, database: 'app' },
    verdict: 'passed',
    reason: /naming the source by host name postgres/,
  },
  // A syslog daemon or journalctl names the machine that logged each line: the server's, which is
  // also the harness's when it runs there to read the log. That name is no client.
  {
    name: "rsyslog: the header's host, the name the harness also resolves to, is no source",
    evidence: { ...evidence(TWO, [line(`May  1 12:00:00 db1 postgres[4242]: [5-1] ${MARKER}@app FATAL:  password authentication failed for user "${MARKER}"`)]), harness: { address: '127.0.1.1', hostName: 'db1' } },
    verdict: 'failed',
    reason: /no line names the source address; no line names db1, the name the harness's address resolves to$/,
  },
  {
    name: "journalctl -o short-iso: the header's host is no source",
    evidence: { ...evidence(TWO, [line(`2026-05-01T12:00:00+0000 db1 postgres[4242]: ${MARKER}@app FATAL:  password authentication failed for user "${MARKER}"`)]), harness: { address: '10.0.0.4', hostName: 'db1' } },
    verdict: 'failed',
    reason: /no line names the source address/,
  },
  {
    name: "a forwarded syslog line: the sender's address in the header is no source",
    evidence: evidence(TWO, [line(`2026-05-01T12:00:00.123456+00:00 10.0.0.4 postgres[4242]: ${MARKER}@app FATAL:  password authentication failed for user "${MARKER}"`)]),
    verdict: 'failed',
    reason: /no line names the source address/,
  },
  {
    name: 'syslog: the client named after the header still counts',
    evidence: { ...evidence(TWO, [line(`May  1 12:00:00 db1 postgres[4242]: [5-1] ${MARKER}@app from db1 FATAL:  password authentication failed for user "${MARKER}"`)]), harness: { address: '127.0.1.1', hostName: 'db1' } },
    verdict: 'passed',
    reason: /naming the source by host name db1/,
  },
  // jsonlog and csvlog keep a refusal's DETAIL on the record's one line, with the pg_hba rule it
  // matched: the rule's network (or a name in it) is not the client.
  {
    name: "jsonlog: the pg_hba rule's network in the detail is no source",
    evidence: evidence(TWO, [line(`{"user":"${MARKER}","remote_host":"client7.corp","message":"password authentication failed for user \\"${MARKER}\\"","detail":"Connection matched file \\"/etc/postgresql/16/main/pg_hba.conf\\" line 98: \\"host all all 10.0.0.0/8 scram-sha-256\\"","backend_type":"client backend"}`)]),
    verdict: 'failed',
    reason: /no line names the source address/,
  },
  {
    name: "csvlog: the pg_hba rule's address with a separate mask is no source",
    evidence: evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC,"${MARKER}","app",77,"client7.corp:51234",6,1,"authentication",,3/1,0,FATAL,28P01,"password authentication failed for user ""${MARKER}""","Connection matched pg_hba.conf line 5: ""host all all 10.0.0.0 255.0.0.0 scram-sha-256""",,,,,,,,"","client backend",,0`)]),
    verdict: 'failed',
    reason: /no line names the source address/,
  },
  { name: 'recorded without an address', evidence: evidence(TWO, [line(`2026-01-01 00:00:00.050 UTC [77] FATAL:  password authentication failed for user "${MARKER}"`)]), verdict: 'failed', reason: /no line names the source address/ },
  { name: 'not recorded', evidence: evidence(TWO, []), verdict: 'failed', reason: /did not appear in file \/var\/log\/x\.log within 250 ms \(3 reads; the marker was absent before\)/ },
  {
    name: 'no failed login could be made',
    evidence: evidence([{ ...refused('2026-01-01T00:00:00.000Z'), outcome: 'unreachable', serverCode: 'ECONNREFUSED' }], []),
    verdict: 'undecided',
    reason: /no failed login could be made.*unreachable \[ECONNREFUSED\]/,
  },
];

for (const { name, evidence: given, verdict, reason } of cases) {
  test(`audit.failed-logins-recorded judge: ${name} -> ${verdict}`, () => {
    const judgement = failedLoginsRecorded.judge(given, target('postgres'));
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}

test('audit.failed-logins-recorded: markers are run-scoped and look like no real account', () => {
  const markers = new Set(Array.from({ length: 50 }, () => newMarker()));
  assert.equal(markers.size, 50);
  for (const marker of markers) assert.match(marker, /^dbc_probe_[0-9a-f]{12}$/);
});

test('audit.failed-logins-recorded: addresses are found in lines, timestamps are not taken for IPv6', () => {
  assert.deepEqual(addressesIn('2026-01-01 13:40:01.123 UTC [5] a@b from 10.1.2.3 FATAL'), ['10.1.2.3']);
  assert.deepEqual(addressesIn('13:40:01 x fe80::1 y'), ['fe80::1']);
  assert.deepEqual(addressesIn('2026-01-01 13:40:01 no address'), []);
  assert.deepEqual(hostNamesIn(`Access denied for user '${MARKER}'@'localhost' (using password: YES)`, MARKER), ['localhost']);
  assert.deepEqual(hostNamesIn(`Access denied for user '${MARKER}'@'127.0.0.1'`, MARKER), [], 'an address is counted as an address');
  assert.deepEqual(hostNamesIn(`Access denied for user 'someone_else'@'localhost'`, MARKER), [], 'only the marker\'s own client');
  assert.deepEqual(hostNamesIn(`user 'a.b'@'host1' and 'aXb'@'host2'`, 'a.b'), ['host1'], 'the marker is matched literally');
  assert.deepEqual(addressesIn('999.1.1.1 is not an address'), []);
  assert.deepEqual(addressesIn('allowed 10.0.0.0/8 and fd00::/8, from 10.1.2.3'), ['10.1.2.3'], 'a network with its mask is no client');
  assert.deepEqual(addressesIn('a@b 10.1.2.3 DETAIL:  Connection matched pg_hba.conf line 5: "host all all 10.0.0.0 255.0.0.0 md5"'), ['10.1.2.3'], "the pg_hba rule's quote is left out");
});

test('audit.failed-logins-recorded: a matching line is redacted (a password typed as a user name) and cut to length', () => {
  const secret = 'Canary-Typed-As-User-4711';
  rememberPassword('log-redaction-test', secret);
  const text = [`FATAL: password authentication failed for user "${MARKER}" near ${secret}`, 'unrelated line', `${MARKER} ${'x'.repeat(2000)}`].join('\n');
  const found = linesNaming(text, MARKER, 'now');
  assert.equal(found.length, 2);
  assert.ok(!found[0].line.includes(secret), found[0].line);
  assert.ok(found[0].line.includes(REDACTED));
  assert.ok(found[1].line.length < 600);
});

test('audit.failed-logins-recorded: a file source reads only what came after the position, and the poll waits for the line', async () => {
  const file = join(dir, 'server.log');
  await writeFile(file, `old line for ${MARKER}\n`);
  const source = LogSource.from({ files: [file] }, 1000);
  assert.ok((await source.readAll()).includes(MARKER));
  const position = await source.position();
  assert.equal(await source.readSince(position), '');
  setTimeout(() => void appendFile(file, `new FATAL for ${MARKER} from 127.0.0.1\n`), 300);
  const search = await awaitMarker(source, position, MARKER, 5000);
  assert.equal(search.found.length, 1, 'the line written before the position is not counted');
  assert.match(search.found[0].line, /new FATAL/);
  assert.ok(search.polls >= 2 && search.waitedMs >= 250, `polled ${search.polls} times over ${search.waitedMs} ms`);
});

test('audit.failed-logins-recorded: the poll gives up at its timeout, with backoff (few reads)', async () => {
  const file = join(dir, 'quiet.log');
  await writeFile(file, '');
  const source = LogSource.from({ files: [file] }, 1000);
  const started = performance.now();
  const search = await awaitMarker(source, await source.position(), MARKER, 1500);
  const elapsed = performance.now() - started;
  assert.equal(search.found.length, 0);
  assert.ok(elapsed >= 1500 && elapsed < 3000, `${elapsed} ms`);
  assert.ok(search.polls <= 6, `${search.polls} reads in 1.5 s`);
});

test('audit.failed-logins-recorded: a rotated (shrunk) file is read from its start', async () => {
  const file = join(dir, 'rotated.log');
  await writeFile(file, 'a'.repeat(1000));
  const source = LogSource.from({ files: [file] }, 1000);
  const position = await source.position();
  await writeFile(file, `${MARKER}\n`);
  assert.match(await source.readSince(position), new RegExp(MARKER));
});

test('audit.failed-logins-recorded: a command source is run without a shell; a failing or missing one throws', async () => {
  const source = LogSource.from({ command: ['printf', `%s\\n`, `x ${MARKER} from 127.0.0.1`] }, 2000);
  assert.match(await source.readAll(), new RegExp(`${MARKER} from 127`));
  await assert.rejects(LogSource.from({ command: ['false'] }, 2000).readAll(), /the log command false exited with status 1/);
  await assert.rejects(LogSource.from({ files: [join(dir, 'absent.log')] }, 2000).position(), /ENOENT/);
  assert.throws(() => LogSource.from({}, 1000), /neither files nor a command/);
});

test('audit.failed-logins-recorded read: without a log source the control is skipped; an unreadable one is undecided', async () => {
  const { TargetContext } = await import('../../../src/probes/target-context.js');
  const { observeWith } = await import('../../../src/probes/control-observation.js');
  const none = await observeWith(failedLoginsRecorded, new TargetContext(target('postgres')));
  assert.equal(none.kind, 'nothing-to-judge');
  assert.match(none.kind === 'nothing-to-judge' ? none.reason : '', /no log source: declare one \(logs: \{ file \| files \| command \}\) or let the auditor read the server's log over SQL/);
  // Declared over SQL, but no account can log in to read it: undecided, not skipped.
  const sqlDeclared = await observeWith(failedLoginsRecorded, new TargetContext({ ...target('postgres'), logs: { sql: true } }));
  assert.equal(sqlDeclared.kind, 'unobservable');
  const unreadable = await observeWith(failedLoginsRecorded, new TargetContext({ ...target('postgres'), logs: { files: [join(dir, 'absent.log')] } }));
  assert.equal(unreadable.kind, 'unobservable');
  assert.match(unreadable.kind === 'unobservable' ? unreadable.reason : '', /cannot read the log source/);
});

test('audit.failed-logins-recorded: a declared file wins over the SQL source, without asking the server', async () => {
  const { TargetContext } = await import('../../../src/probes/target-context.js');
  const { chooseLogSource } = await import('../../../src/probes/audit/log-source-choice.js');
  const file = join(dir, 'declared.log');
  await writeFile(file, '');
  // No server answers at this target: a choice that asked it would throw.
  const chosen = await chooseLogSource(new TargetContext({ ...target('postgres'), auditor: 'auditor', logs: { files: [file] } }), MARKER);
  assert.equal(chosen.reader.describe(), `file ${file}`);
  assert.equal(chosen.chosenBecause, 'declared by the target');
});
