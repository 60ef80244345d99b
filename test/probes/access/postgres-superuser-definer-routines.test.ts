/**
 * Table tests of how access.app-not-superuser judges superusers' SECURITY DEFINER routines the
 * application may run (postgres-superuser-definer-routines.ts): one that runs its caller's text
 * fails; one bound to pg_catalog is not counted; any other is undecided, with why; a read cut short
 * is undecided; extensions' routines are only counted. No server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appNotSuperuser, type SuperuserEvidence } from '../../../src/probes/access/app-not-superuser.js';
import type { SuperuserDefinerRoutine, SuperuserDefinerRoutinesRead } from '../../../src/probes/access/postgres-superuser-definer-routines.js';
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
  ['a read cut short', evidence([], { truncated: true }), 'undecided', /more than 200 SECURITY DEFINER routines of superusers that it may EXECUTE in database "app": only the first 200 were read/],
  ['a failure outranks an undecided one', evidence([routine('static-sql', { language: 'sql' }), routine('caller-statement', { parameter: 'sql', routine: 'ops.run(sql text)' })]), 'failed', /ops\.run\(sql text\), .*its parameter sql as given/],
] as const) {
  test(`access.app-not-superuser judge, superusers' SECURITY DEFINER routines: ${name} -> ${verdict}`, () => {
    const judgement = appNotSuperuser.judge(input, sampleTarget());
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}
