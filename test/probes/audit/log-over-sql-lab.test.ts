/**
 * audit.failed-logins-recorded with the server's own log read over SQL, on real lab servers: a
 * PostgreSQL whose log goes to the logging collector and whose auditor may run pg_read_file, a
 * MariaDB that writes its general log to a table, and the same servers without the read (skipped,
 * naming both ways to give the control a source). Then the PostgreSQL reader itself: only the tail
 * since the position, across a rotation and switches to csvlog and jsonlog, and an error mid-read.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { failedLoginsRecorded, type FailedLoginsEvidence } from '../../../src/probes/audit/failed-logins-recorded.js';
import { MAX_SQL_READ_BYTES, PostgresLogOverSql, readForward, readStretch, type PostgresLogPosition } from '../../../src/probes/audit/postgres-log-over-sql.js';
import { newMarker } from '../../../src/probes/audit/detonation.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import { attemptLogin } from '../../../src/sessions/login-attempt.js';
import { asLabPostgresAdmin } from '../../support/postgres-admin.js';
import { decide, labTarget } from './data-plane-checks-lab.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

const POSTGRES_VERSION = process.env.DBCOMPLY_LOG_SQL_PG_VERSION ? Number(process.env.DBCOMPLY_LOG_SQL_PG_VERSION) : undefined;

describe('PostgreSQL: the log read over SQL', () => {
  test('log-read-over-sql: the failed logins are found through pg_read_file as the auditor, with no log file declared', async () => {
    const { target } = await labTarget('postgres', 'log-read-over-sql', POSTGRES_VERSION);
    assert.equal(target.logs, undefined, 'the lab declares no log file for this configuration');
    // The version comes from the collector's file (stderr only says the log went there): the lab read it.
    assert.match(target.origin ?? '', new RegExp(`PostgreSQL ${POSTGRES_VERSION ?? 15}\\.\\d+`));
    const decided = await decide(failedLoginsRecorded, target);
    assert.equal(decided.verdict, 'passed', decided.reason);
    const evidence = decided.evidence as FailedLoginsEvidence;
    assert.match(evidence.source, /^pg_read_file on log\/postgresql-[\d_-]+\.log as role auditor$/);
    assert.match(evidence.sourceChosen ?? '', /offered by the server over SQL/);
    assert.match(decided.reason, /appeared in pg_read_file on log\/postgresql-.* naming source address 127\.0\.0\.1/);
    assert.ok(evidence.search.found.every((line) => line.line.includes(evidence.marker)));
  });

  test('log-sql-not-granted: skipped, naming both ways to give the control a source; declared sql: undecided', async () => {
    const { target } = await labTarget('postgres', 'log-sql-not-granted', POSTGRES_VERSION);
    const skipped = await decide(failedLoginsRecorded, target);
    assert.equal(skipped.verdict, 'skipped', skipped.reason);
    assert.match(skipped.reason, /declare one \(logs: \{ file \| files \| command \}\) or let the auditor read the server's log over SQL/);
    assert.match(skipped.reason, /role "auditor" may not run pg_current_logfile\(\), pg_stat_file\(text\), pg_read_file\(text,bigint,bigint\)/);
    const declared = await decide(failedLoginsRecorded, { ...target, logs: { sql: true } });
    assert.equal(declared.verdict, 'undecided', declared.reason);
    assert.match(declared.reason, /declares its log readable over SQL, but it is not/);
  });

  test('hardened (collector off): skipped over SQL when the declared file is taken away, naming logging_collector', async () => {
    const { target } = await labTarget('postgres', 'hardened', POSTGRES_VERSION);
    const skipped = await decide(failedLoginsRecorded, { ...target, logs: undefined });
    assert.equal(skipped.verdict, 'skipped', skipped.reason);
    assert.match(skipped.reason, /logging_collector is off/);
  });

  test('the reader: only the tail since the position, across a rotation and switches to csvlog and jsonlog; an error mid-read throws', async () => {
    const { target } = await labTarget('postgres', 'log-read-over-sql', POSTGRES_VERSION);
    const context = new TargetContext(target);
    try {
      const offer = await PostgresLogOverSql.offer(context.catalog);
      assert.ok(offer.offered, offer.offered ? '' : offer.reason);
      const reader = offer.reader;
      const old = newMarker();
      await attemptLogin(target, { user: old, password: 'wrong-password-for-log-test' }, 'tls');
      assert.ok(await eventually(async () => (await reader.readAll()).includes(old)), 'readAll sees the line the server just wrote');
      const position: PostgresLogPosition = await reader.position();
      assert.doesNotMatch(await reader.readSince(position), new RegExp(old), 'what came before the position is not read again');

      // Rotation: a new file (log_filename has one-second resolution: a rotation within the start's second reopens the same name).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await asLabPostgresAdmin(target, (admin) => admin.query('SELECT pg_rotate_logfile()'));
      assert.ok(await eventually(async () => (await reader.position()).file !== position.file), 'the collector moved to a new file');
      const rotated = newMarker();
      await attemptLogin(target, { user: rotated, password: 'wrong-password-for-log-test' }, 'tls');
      assert.ok(await eventually(async () => (await reader.readSince(position)).includes(rotated)), 'the line in the new file is found');
      assert.match(reader.describe(), /^pg_read_file on log\/\S+\.log then log\/\S+\.log as role auditor$/);

      /** Switches the collector to `destination`, makes a failed login with a new marker, and reads until its line is found. */
      const failedLoginLoggedAs = async (destination: string, extension: string): Promise<{ marker: string; text: string }> => {
        const before = await reader.position();
        await asLabPostgresAdmin(target, async (admin) => {
          await admin.query(`ALTER SYSTEM SET log_destination = '${destination}'`);
          await admin.query('SELECT pg_reload_conf()');
        });
        assert.ok(await eventually(async () => (await reader.position()).file.endsWith(extension)), `the collector writes ${destination}`);
        const marker = newMarker();
        await attemptLogin(target, { user: marker, password: 'wrong-password-for-log-test' }, 'tls');
        let text = '';
        assert.ok(await eventually(async () => (text = await reader.readSince(before)).includes(marker)), `the ${destination} line is found`);
        return { marker, text };
      };

      // csvlog: pg_current_logfile() now names the .csv file; the line there names the address as host:port.
      const { marker: csv, text: csvText } = await failedLoginLoggedAs('csvlog', '.csv');
      const csvLine = csvText.split('\n').find((line) => line.includes(`password authentication failed for user ""${csv}""`));
      assert.match(csvLine ?? '', /"127\.0\.0\.1:\d+"/, 'the csvlog line names the client address');

      // jsonlog (PostgreSQL 15 and later): the same, in the .json file, the address as "remote_host".
      const major = await asLabPostgresAdmin(target, async (admin) => Number((await admin.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v) / 10000);
      if (major >= 15) {
        const { marker: json, text: jsonText } = await failedLoginLoggedAs('jsonlog', '.json');
        const jsonLine = jsonText.split('\n').find((line) => line.includes(json) && line.includes('password authentication failed'));
        assert.equal(JSON.parse(jsonLine ?? '{}').remote_host, '127.0.0.1', 'the jsonlog line names the client address');
      }

      // A bounded stretch that starts inside a multi-byte character: the start moves on to the next character.
      const wide = newMarker();
      const beforeWide = await reader.position();
      await attemptLogin(target, { user: `ü${wide}`, password: 'wrong-password-for-log-test' }, 'tls');
      assert.ok(await eventually(async () => (await reader.readSince(beforeWide)).includes(wide)));
      const end = await reader.position();
      const { result: tail } = await context.catalog.read('a stretch', (session) => readStretch(session, end.file, beforeWide.size, end.size));
      const inside = beforeWide.size + Buffer.from(tail).indexOf(Buffer.from('ü')) + 1;
      const { result: cut } = await context.catalog.read('a stretch', (session) => readStretch(session, end.file, inside, end.size));
      assert.ok(cut.startsWith(wide), `starts right after the cut character: ${cut.slice(0, 30)}`);
      const { result: upTo } = await context.catalog.read('a stretch', (session) => readForward(session, end.file, beforeWide.size, end.size, inside - beforeWide.size));
      assert.equal(upTo.end, inside - 1, 'a budget that ends inside the character stops before it');
      assert.ok(!upTo.text.includes('ü') && upTo.text.length > 0);

      // Polls with one position continue where the last stopped: a line is returned once, not again on every poll.
      const polled = await reader.position();
      const once = newMarker();
      await attemptLogin(target, { user: once, password: 'wrong-password-for-log-test' }, 'tls');
      assert.ok(await eventually(async () => (await reader.readSince(polled)).includes(once)));
      assert.doesNotMatch(await reader.readSince(polled), new RegExp(once), 'the next poll reads only what came after');
      assert.doesNotMatch(reader.describe(), /left unread/, 'nothing was skipped');

      // A flood bigger than one read's budget right after the marker: the first poll returns the marker
      // (oldest first), later polls continue through the flood to a line written after it.
      const beforeFlood = await reader.position();
      const first = newMarker();
      await attemptLogin(target, { user: first, password: 'wrong-password-for-log-test' }, 'tls');
      await asLabPostgresAdmin(target, (admin) => admin.query("DO $$ BEGIN FOR i IN 1..5000 LOOP RAISE LOG 'flood %', repeat('x', 1000); END LOOP; END $$"));
      const last = newMarker();
      await attemptLogin(target, { user: last, password: 'wrong-password-for-log-test' }, 'tls');
      assert.ok(await eventually(async () => (await reader.position()).size - beforeFlood.size > MAX_SQL_READ_BYTES), 'more than one budget was logged');
      const firstPoll = await reader.readSince(beforeFlood);
      assert.ok(firstPoll.includes(first), 'the marker right after the position comes in the first poll');
      assert.ok(Buffer.byteLength(firstPoll) <= MAX_SQL_READ_BYTES, `one poll reads at most the budget (${Buffer.byteLength(firstPoll)} bytes)`);
      let polls = 1;
      let found = false;
      for (; polls < 10 && !found; polls++) found = (await reader.readSince(beforeFlood)).includes(last);
      assert.ok(found && polls >= 2, `the line after the flood is found by a later poll (${polls} polls)`);

      // The grant is taken away mid-run: the next read of new text throws (the check turns it into undecided).
      const beforeRevoke = await reader.position();
      await asLabPostgresAdmin(target, (admin) => admin.query('REVOKE EXECUTE ON FUNCTION pg_read_file(text, bigint, bigint) FROM auditor'));
      await attemptLogin(target, { user: newMarker(), password: 'wrong-password-for-log-test' }, 'tls');
      assert.ok(await eventually(async () => (await reader.position()).size > beforeRevoke.size), 'the server logged the attempt');
      await assert.rejects(reader.readSince(beforeRevoke), /permission denied for function pg_read_file/);
    } finally {
      await context.close();
    }
  });
});

describe('MariaDB: the general log table', () => {
  test('log-read-over-sql: the "Access denied" rows of mysql.general_log are found as the auditor', async () => {
    const { target } = await labTarget('mysql', 'log-read-over-sql');
    assert.equal(target.logs, undefined, 'the lab declares no log file for this configuration');
    const decided = await decide(failedLoginsRecorded, target);
    assert.equal(decided.verdict, 'passed', decided.reason);
    const evidence = decided.evidence as FailedLoginsEvidence;
    assert.equal(evidence.source, 'table mysql.general_log as auditor@127.0.0.1');
    assert.ok(evidence.search.found.length >= 2, 'one line per failed login');
    for (const found of evidence.search.found) assert.match(found.line, /Connect Access denied for user 'dbc_probe_[0-9a-f]{12}'@'127\.0\.0\.1'/, 'only the refusals, not the rows made before the server decided');
    assert.match(decided.reason, /naming source address 127\.0\.0\.1/);
  });

  test('log-sql-not-granted (general log to a file only): skipped, naming both ways', async () => {
    const { target } = await labTarget('mysql', 'log-sql-not-granted');
    const skipped = await decide(failedLoginsRecorded, target);
    assert.equal(skipped.verdict, 'skipped', skipped.reason);
    assert.match(skipped.reason, /declare one \(logs: .*log_output does not include TABLE/);
  });
});

/** Polls `check` for up to 5 s: the collector writes asynchronously. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 5000;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
