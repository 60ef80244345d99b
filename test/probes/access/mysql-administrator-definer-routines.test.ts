/**
 * Table tests of how access.app-not-superuser judges, on MySQL/MariaDB, the administrators' SQL
 * SECURITY DEFINER routines the application may run (mysql-administrator-definer-routines.ts): one
 * whose dynamic SQL runs its caller's text (a parameter, an @variable, a statement its caller
 * prepared) fails; a static one with nothing the application may steer is not counted, and named;
 * any other is undecided, with why; a list not read whole or a read cut short is undecided; evidence
 * from before routines were read is judged as before. No server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appNotSuperuser, type SuperuserEvidence } from '../../../src/probes/access/app-not-superuser.js';
import type { AdministratorDefinerRoutine, AdministratorDefinerRoutinesRead } from '../../../src/probes/access/mysql-administrator-definer-routines.js';
import { sampleTarget } from '../../support/sample-target.js';

const ROOT = "'root'@'localhost'";
const APP_ACCOUNTS = ["'app'@'10.%'", "'app'@'localhost'"];

const routine = (body: AdministratorDefinerRoutine['body'], rest: Partial<AdministratorDefinerRoutine> = {}): AdministratorDefinerRoutine => ({
  routine: 'PROCEDURE app.run_statement',
  definer: ROOT,
  definerPowers: ['holds ALL PRIVILEGES ON *.*'],
  runners: APP_ACCOUNTS.map((account) => ({ account })),
  public: false,
  body,
  ...rest,
});

const evidence = (routines: AdministratorDefinerRoutine[], rest: Partial<AdministratorDefinerRoutinesRead> = {}, paths: string[] = []): SuperuserEvidence => ({
  readAs: 'read as the declared auditor "auditor"',
  application: 'app',
  superuserPaths: paths,
  accountsSeen: APP_ACCOUNTS,
  anonymousAccounts: [],
  rolesExamined: [],
  administratorDefinerRoutines: { examined: 52, source: 'mysql.proc', routines, truncated: false, ...rest },
});

const mysql = sampleTarget({ engine: 'mysql' });
const UNDECIDED = /could not be decided: 'app'@'10\.%', 'app'@'localhost' may EXECUTE PROCEDURE app\.run_statement, SQL SECURITY DEFINER 'root'@'localhost' \(it holds ALL PRIVILEGES ON \*\.\*\): /;

for (const [name, input, verdict, reason] of [
  [
    "none it may run: the pass says what was looked for",
    evidence([]),
    'passed',
    /hold no SUPER, ALL PRIVILEGES, CREATE USER, SET USER or write on the mysql system database, directly \(they hold no role\); nor an administrator's SQL SECURITY DEFINER routine it may run: 52 routines examined \(mysql\.proc\), 0 of them an administrator's that it may EXECUTE \(read as/,
  ],
  [
    "the lab variant: PREPARE of its parameter",
    evidence([routine('caller-statement', { from: { kind: 'parameter', name: 'statement' } })]),
    'failed',
    /^the application account "app" has superuser power: 'app'@'10\.%', 'app'@'localhost' may EXECUTE PROCEDURE app\.run_statement, SQL SECURITY DEFINER 'root'@'localhost' \(it holds ALL PRIVILEGES ON \*\.\*\): it runs the statement its caller passes as statement, as 'root'@'localhost'$/,
  ],
  [
    'an @variable it never sets, EXECUTE granted to PUBLIC',
    evidence([routine('caller-statement', { from: { kind: 'session-variable', name: '@sql' }, public: true })]),
    'failed',
    /may EXECUTE PROCEDURE app\.run_statement, granted to PUBLIC, SQL SECURITY DEFINER 'root'@'localhost' \(it holds ALL PRIVILEGES ON \*\.\*\): it runs the statement its caller leaves in @sql \(a session variable the routine never sets\), as 'root'@'localhost'/,
  ],
  [
    'a prepared statement it never PREPAREs, through a role, of a definer with several powers',
    evidence([
      routine('caller-statement', {
        from: { kind: 'prepared-statement', name: 's2' },
        runners: [{ account: "'app'@'10.%'", how: 'through role r_exec' }],
        definer: "'ops'@'%'",
        definerPowers: ['holds SUPER', "holds CREATE USER, which changes any account's password", 'is granted role "dba", which holds SUPER'],
      }),
    ]),
    'failed',
    /'app'@'10\.%' may EXECUTE PROCEDURE app\.run_statement, through role r_exec, SQL SECURITY DEFINER 'ops'@'%' \(it holds SUPER, and 2 more administrator's powers\): it EXECUTEs prepared statement s2, which it never PREPAREs: the statement its caller prepared under that name runs as 'ops'@'%'/,
  ],
  ['dynamic SQL not traced to its caller', evidence([routine('dynamic-sql')]), 'undecided', new RegExp(`${UNDECIDED.source}it runs dynamic SQL \\(PREPARE \\.\\.\\. FROM, EXECUTE IMMEDIATE\\) whose text was not traced to its caller; whether it hands the application the administrator's power is not decided from its text`)],
  ['a body that could not be read', evidence([routine('unreadable', { unreadable: 'a string, quoted name or comment in its body does not end' })]), 'undecided', new RegExp(`${UNDECIDED.source}a string, quoted name or comment in its body does not end;`)],
  [
    "static, in a database the application may replace objects in",
    evidence([routine('static', { statements: [], functions: [], replaceable: ["'app'@'10.%' holds CREATE, DROP on app.*"] })]),
    'undecided',
    new RegExp(`${UNDECIDED.source}the application may create or replace objects where it looks names up \\('app'@'10\\.%' holds CREATE, DROP on app\\.\\*\\): an SQL SECURITY INVOKER view or function put in place of a table or function it uses runs as 'root'@'localhost'; whether`),
  ],
  [
    "static, with an administrator's statements and a stored function call",
    evidence([routine('static', { statements: ['GRANT', 'the mysql system database'], functions: ['FUNCTION ops.f'], replaceable: [] })]),
    'undecided',
    new RegExp(`${UNDECIDED.source}it runs statements that reach an administrator's power, as 'root'@'localhost': GRANT, the mysql system database; it calls FUNCTION ops\\.f, whose body runs as 'root'@'localhost' or as its own definer and was not followed; whether`),
  ],
  [
    'static with nothing the application may steer: not counted, and named',
    evidence([routine('static', { routine: 'PROCEDURE ops.count_items', statements: [], functions: [], replaceable: [] })]),
    'passed',
    /52 routines examined \(mysql\.proc\), 1 of them an administrator's that it may EXECUTE \(not counted, having no dynamic SQL, no administrator's statement, no stored function call and nothing the application may replace: PROCEDURE ops\.count_items\)/,
  ],
  ['more such routines than were read', evidence([], { truncated: true }), 'undecided', /more than 200 SQL SECURITY DEFINER routines of administrators that it may EXECUTE: only the first 200 were read/],
  [
    'the routines could not all be listed',
    evidence([], { examined: 0, source: undefined, problem: 'the stored routines could not all be listed: mysql.proc could not be read (denied)' }),
    'undecided',
    /through an administrator's SQL SECURITY DEFINER routine could not be decided: the stored routines could not all be listed: mysql\.proc could not be read \(denied\) \(read as/,
  ],
  [
    'a failure outranks an undecided one, and joins the other paths',
    evidence([routine('dynamic-sql'), routine('caller-statement', { routine: 'FUNCTION ops.run', from: { kind: 'parameter', name: 'q' } })], {}, ["'app'@'10.%' holds SUPER"]),
    'failed',
    /has superuser power: 'app'@'10\.%' holds SUPER; 'app'@'10\.%', 'app'@'localhost' may EXECUTE FUNCTION ops\.run, .*: it runs the statement its caller passes as q, as 'root'@'localhost'$/,
  ],
  [
    'evidence from before the routines were read is judged as before',
    { ...evidence([]), administratorDefinerRoutines: undefined },
    'passed',
    /hold no SUPER, ALL PRIVILEGES, CREATE USER, SET USER or write on the mysql system database, directly \(they hold no role\) \(read as/,
  ],
] as ReadonlyArray<readonly [string, SuperuserEvidence, string, RegExp]>) {
  test(`access.app-not-superuser judge: administrators' SQL SECURITY DEFINER routines, ${name} -> ${verdict}`, () => {
    const judgement = appNotSuperuser.judge(input, mysql);
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}
