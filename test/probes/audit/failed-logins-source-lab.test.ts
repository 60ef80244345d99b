/**
 * audit.failed-logins-recorded on a real PostgreSQL whose log_line_prefix and log_hostname the lab
 * never sets: a prefix without the client (%h or %r) records no source; a server that logs the
 * client's host name (log_hostname on) records it by the name this harness's address resolves to.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupService } from 'node:dns/promises';
import { installCleanupOnSignals, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { failedLoginsRecorded, type FailedLoginsEvidence } from '../../../src/probes/audit/failed-logins-recorded.js';
import type { Target } from '../../../src/targets/target.js';
import { setLabPostgresSettings } from '../../support/postgres-admin.js';
import { decide, labTarget } from './data-plane-checks-lab.js';

installCleanupOnSignals();
after(() => stopAllLocalServers());

/** The name a machine's resolver gives the loopback address: 'localhost' here, whatever /etc/hosts lists first elsewhere. */
async function loopbackName(): Promise<string> {
  return (await lookupService('127.0.0.1', 0)).hostname;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('PostgreSQL: where a failed login line names its source', () => {
  test('a prefix without %h or %r: the lines name no client -> failed', async () => {
    const { target } = await labTarget('postgres', 'hardened');
    await setLabPostgresSettings(target, { log_line_prefix: '%m [%p] %q%u@%d ' });
    const decided = await decide(failedLoginsRecorded, target);
    const evidence = decided.evidence as FailedLoginsEvidence;
    assert.ok(evidence.search.found.length > 0, 'the failed logins were logged');
    assert.equal(decided.verdict, 'failed', decided.reason);
    // The name was looked up, and no line has it either.
    const name = await loopbackName();
    const lookup = name === '127.0.0.1' ? '127\\.0\\.0\\.1 resolves to no name' : `no line names ${escaped(name)}, the name the harness's address resolves to`;
    assert.match(decided.reason, new RegExp(`no line names the source address; ${lookup}$`));
  });

  test('the log as a syslog daemon writes it: the header names the host that logged, not the client -> failed', async () => {
    const { target } = await labTarget('postgres', 'hardened');
    await setLabPostgresSettings(target, { log_line_prefix: '%m [%p] %q%u@%d ' });
    // rsyslog and journalctl put the logging machine's name before each line. A harness that runs on
    // the server's machine (as it must to read its files or journal) resolves its own address to
    // that same name: here, the name this machine gives 127.0.0.1.
    const name = await loopbackName();
    const [file] = target.logs!.files!;
    const asSyslog: Target = { ...target, logs: { command: ['sed', '-e', `s/^/May  1 12:00:00 ${name} postgres[4242]: /`, file], waitMs: target.logs!.waitMs } };
    const decided = await decide(failedLoginsRecorded, asSyslog);
    const evidence = decided.evidence as FailedLoginsEvidence;
    assert.ok(evidence.search.found.length > 0, 'the failed logins were logged');
    assert.ok(evidence.search.found.every((line) => line.line.startsWith(`May  1 12:00:00 ${name} postgres[4242]: `)), 'every line carries the syslog header');
    assert.equal(decided.verdict, 'failed', decided.reason);
    assert.match(decided.reason, /no line names the source address/);
  });

  test("a database named as the harness's host: %d writes the name, which names no client -> undecided", async () => {
    const { target } = await labTarget('postgres', 'hardened');
    await setLabPostgresSettings(target, { log_line_prefix: '%m [%p] %q%u@%d ' });
    // A machine called "postgres" assessing its own default database is the everyday form of this.
    const name = await loopbackName();
    const decided = await decide(failedLoginsRecorded, { ...target, database: name });
    const evidence = decided.evidence as FailedLoginsEvidence;
    assert.ok(evidence.search.found.some((line) => line.line.includes(`@${name} `)), 'the lines name the database where %d stands');
    assert.equal(decided.verdict, 'undecided', decided.reason);
    assert.match(decided.reason, new RegExp(`also the database the failed logins asked for`));
  });

  test('log_hostname on: the line names the host this harness resolves to -> passed, by name', async () => {
    const { target } = await labTarget('postgres', 'hardened');
    await setLabPostgresSettings(target, { log_hostname: 'on' });
    const decided = await decide(failedLoginsRecorded, target);
    assert.equal(decided.verdict, 'passed', decided.reason);
    const name = await loopbackName();
    // Where the loopback address has no name, the server writes the address itself.
    const source = name === '127.0.0.1' ? 'naming source address 127\\.0\\.0\\.1' : `naming the source by host name ${escaped(name)} \\(the name the harness's address 127\\.0\\.0\\.1 resolves to`;
    assert.match(decided.reason, new RegExp(source));
  });
});
