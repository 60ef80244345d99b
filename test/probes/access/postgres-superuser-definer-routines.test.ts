/**
 * Table tests of how access.app-not-superuser judges superusers' SECURITY DEFINER routines the
 * application may run (postgres-superuser-definer-routines.ts): one that runs its caller's text
 * fails; one bound to pg_catalog is not counted; any other is undecided, with why; a read cut short
 * is undecided; extensions' routines are only counted. And how the application's share is taken
 * from the read of every SECURITY DEFINER routine that access.least-privilege shares. No server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appNotSuperuser, type SuperuserEvidence } from '../../../src/probes/access/app-not-superuser.js';
import { superuserDefinerRoutinesOf, type SuperuserDefinerRoutine, type SuperuserDefinerRoutinesRead } from '../../../src/probes/access/postgres-superuser-definer-routines.js';
import type { DatabaseDefinerRoutine, DatabaseDefinerRoutines } from '../../../src/probes/access/postgres-definer-routines.js';
import { sampleTarget } from '../../support/sample-target.js';

const routine = (body: SuperuserDefinerRoutine['body'], rest: Partial<SuperuserDefinerRoutine> = {}): SuperuserDefinerRoutine => ({
  routine: 'public.run_statement(text)',
  owner: 'postgres',
  language: 'plpgsql',
  how: 'granted to PUBLIC',
  trigger: false,
  body,
  calls: [],
  ...rest,
});

const evidence = (routines: SuperuserDefinerRoutine[], rest: Partial<SuperuserDefinerRoutinesRead> = {}): SuperuserEvidence => ({
  readAs: 'read as the declared auditor "auditor"',
  application: 'app',
  superuserPaths: [],
  accountsSeen: ['app'],
  definerRoutines: { database: 'app', routines, leftOut: { extension: 0, eventTrigger: 0 }, truncated: false, ...rest },
});

for (const [name, input, verdict, reason] of [
  ['none it may run', evidence([]), 'passed', /SECURITY DEFINER routines of superusers that it may EXECUTE, itself, through PUBLIC or a role it reaches, in database "app": 0/],
  [
    'EXECUTE of its parameter: the lab variant',
    evidence([routine('caller-statement', { parameter: '$1' })]),
    'failed',
    /has superuser power: public\.run_statement\(text\), a SECURITY DEFINER routine \(LANGUAGE plpgsql\) of superuser "postgres" that it may EXECUTE, granted to PUBLIC: its EXECUTE runs the text of its parameter \$1 as given, so any statement written there runs as "postgres"/,
  ],
  [
    'a trigger function running its argument, reached through a role',
    evidence([routine('caller-statement', { routine: 'audit.log()', trigger: true, parameter: 'TG_ARGV[0]', how: 'through role writers' })]),
    'failed',
    /audit\.log\(\), a SECURITY DEFINER trigger function \(LANGUAGE plpgsql\) of superuser "postgres" that it may EXECUTE, through role writers \(it may attach it to a table it owns, with arguments of its choosing, and fire it with rows it writes\): its EXECUTE runs the text of its trigger argument TG_ARGV\[0\]/],
  ['dynamic SQL not traced to the caller', evidence([routine('dynamic-sql')]), 'undecided', /could not be decided: public\.run_statement\(text\), .*: it runs dynamic SQL \(EXECUTE\) whose text was not traced to a constant; whether it hands the application the superuser's power is not decided from its text/],
  ['static SQL resolved at each call', evidence([routine('static-sql', { language: 'sql', routine: 'public.lowered(text)' })]), 'undecided', /public\.lowered\(text\), a SECURITY DEFINER routine \(LANGUAGE sql\) .*: its names are resolved when it runs/],
  ['static SQL calling lo_export', evidence([routine('static-sql', { language: 'sql', calls: ['lo_export'] })]), 'undecided', /: it calls lo_export, which run a query string or reach the server's files or settings as "postgres"/],
  ['another language', evidence([routine('other', { language: 'plpython3u' })]), 'undecided', /: a LANGUAGE plpython3u body is not analysed/],
  ['a body that could not be read', evidence([routine('other')]), 'undecided', /: its body could not be read/],
  [
    'a BEGIN ATOMIC body bound to pg_catalog is not counted, and said so',
    evidence([routine('bound-to-catalog', { language: 'sql', routine: 'public.my_sessions()' })], { leftOut: { extension: 2, eventTrigger: 1 } }),
    'passed',
    /in database "app": 1 \(not counted: public\.my_sessions\(\) \(a BEGIN ATOMIC SQL body bound when created, depending on pg_catalog only\)\); left out: 2 of extensions \(vendor code; dblink's are judged above\), 1 event trigger functions/,
  ],
  ['a read cut short, in evidence from before the read was shared', evidence([], { truncated: true }), 'undecided', /more than 200 SECURITY DEFINER routines of superusers that it may EXECUTE in database "app": only the first 200 were read/],
  [
    'a read cut short: the shared read of every owner\'s routines',
    evidence([], { truncated: true, readUpTo: 1000 }),
    'undecided',
    /more than 1000 SECURITY DEFINER routines in database "app": only the first 1000 were read, so whether it may EXECUTE a superuser's among the others is unknown/,
  ],
  ['a failure outranks an undecided one', evidence([routine('static-sql', { language: 'sql' }), routine('caller-statement', { parameter: 'sql', routine: 'ops.run(sql text)' })]), 'failed', /ops\.run\(sql text\), .*its parameter sql as given/],
] as const) {
  test(`access.app-not-superuser judge, superusers' SECURITY DEFINER routines: ${name} -> ${verdict}`, () => {
    const judgement = appNotSuperuser.judge(input, sampleTarget());
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}

const shared = (routine: string, rest: Partial<DatabaseDefinerRoutine> = {}): DatabaseDefinerRoutine => ({
  routine,
  owner: 'postgres',
  ownerIsAdministrator: true,
  language: 'plpgsql',
  extension: false,
  returns: 'void',
  public: false,
  executeGrantedToPublic: false,
  runners: [{ account: 'app', via: ['app'] }],
  body: { body: 'caller-statement', parameter: '$1', calls: [] },
  ...rest,
});

const read = (routines: DatabaseDefinerRoutine[], truncated = false): DatabaseDefinerRoutines => ({ database: 'app', examined: 10, leftOut: { extension: 1, system: 0 }, routines, truncated });

for (const [name, input, expected] of [
  ['granted to it: no how', read([shared('public.run(text)')]), { routines: [{ routine: 'public.run(text)', how: '', body: 'caller-statement', parameter: '$1' }] }],
  ['granted to PUBLIC', read([shared('public.run(text)', { executeGrantedToPublic: true, public: true, runners: [{ account: 'app', via: ['app', 'ops'] }] })]), { routines: [{ routine: 'public.run(text)', how: 'granted to PUBLIC' }] }],
  ['through roles, itself too', read([shared('public.run(text)', { runners: [{ account: 'app', via: ['app', 'ops', 'writers'] }] })]), { routines: [{ routine: 'public.run(text)', how: 'through role ops, writers' }] }],
  ['EXECUTE through a role, USAGE on the schema elsewhere: PUBLIC EXECUTE still says so', read([shared('s.f()', { executeGrantedToPublic: true, runners: [{ account: 'app', via: ['app'] }] })]), { routines: [{ routine: 's.f()', how: 'granted to PUBLIC' }] }],
  ['another role may run it, the application may not', read([shared('public.run(text)', { runners: [{ account: 'alice', via: ['alice'] }] })]), { routines: [] }],
  ['an ordinary owner is least-privilege\'s, not this control\'s', read([shared('public.run(text)', { owner: 'ops', ownerIsAdministrator: false, body: undefined })]), { routines: [] }],
  [
    "an extension's and an event trigger function are counted, not judged; a trigger function is judged",
    read([
      shared('ext.f()', { extension: true, body: undefined }),
      shared('public.on_ddl()', { returns: 'event_trigger', body: undefined }),
      shared('public.log()', { returns: 'trigger', body: { body: 'caller-statement', parameter: 'TG_ARGV[0]', calls: [] } }),
    ]),
    { leftOut: { extension: 1, eventTrigger: 1 }, routines: [{ routine: 'public.log()', trigger: true, parameter: 'TG_ARGV[0]' }] },
  ],
  ['a read cut short says how far it read', read([], true), { truncated: true, readUpTo: 1000, routines: [] }],
] as const) {
  test(`access.app-not-superuser, the application's share of the SECURITY DEFINER routines: ${name}`, () => {
    const mine = superuserDefinerRoutinesOf(input, 'app');
    assert.equal(mine.database, 'app');
    if ('leftOut' in expected) assert.deepEqual(mine.leftOut, expected.leftOut);
    if ('truncated' in expected) assert.deepEqual([mine.truncated, mine.readUpTo], [expected.truncated, expected.readUpTo]);
    assert.equal(mine.routines.length, expected.routines.length, JSON.stringify(mine.routines));
    expected.routines.forEach((want, index) => {
      for (const [key, value] of Object.entries(want)) assert.deepEqual(mine.routines[index][key as keyof SuperuserDefinerRoutine], value, key);
    });
  });
}
