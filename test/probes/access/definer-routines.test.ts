/**
 * Table tests of access.least-privilege's judgement of routines that run with their owner's rights
 * (SECURITY DEFINER): evidence in, verdict and reason out; no server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leastPrivilege, type Holding, type LeastPrivilegeEvidence } from '../../../src/probes/access/least-privilege.js';
import type { DefinerRoutine, DefinerRoutineRead } from '../../../src/probes/access/definer-routines.js';
import { databasePatternCovers } from '../../../src/probes/catalog/mysql-stored-routines.js';
import { sampleTarget } from '../../support/sample-target.js';

const readAs = 'read as the declared auditor "auditor"';

const superuserRun = (overrides: Partial<DefinerRoutine> = {}): DefinerRoutine => ({
  routine: 'public.run(text)',
  database: 'app',
  owner: 'postgres',
  ownerIsAdministrator: true,
  ownerRights: [],
  public: false,
  runners: [{ account: 'app' }],
  ...overrides,
});

const postgresRead = (routines: DefinerRoutine[], overrides: Partial<DefinerRoutineRead> = {}): DefinerRoutineRead => ({
  routines,
  examined: 12,
  databases: 3,
  accounts: 4,
  leftOut: { extension: 2, system: 0 },
  ...overrides,
});

const evidence = (definerRoutines: DefinerRoutineRead | undefined, holdings: Holding[] = [], azurePlatform = false): LeastPrivilegeEvidence => ({
  readAs,
  holdings,
  azurePlatform,
  ...(definerRoutines ? { definerRoutines } : {}),
});

const sixRoles = ['alice', 'analyst', 'app', 'auditor', 'lockout_probe', 'reporting'].map((account) => ({ account }));
const mysql = sampleTarget({ engine: 'mysql' });

for (const [name, given, target, verdict, reason] of [
  ['no routine with a privileged owner', evidence(postgresRead([])), sampleTarget(), 'passed',
    /12 routines in 3 databases examined, none SECURITY DEFINER with an owner holding forbidden rights executable by any of 4 non-admin login roles \(left out: 2 SECURITY DEFINER routines that belong to an extension \(vendor code\) and 0 in pg_catalog or information_schema\)/],
  ["a superuser's routine PUBLIC may run, runners capped at five", evidence(postgresRead([superuserRun({ public: true, runners: sixRoles })])), sampleTarget(), 'failed',
    /SECURITY DEFINER routines hand their owner's rights to non-admin accounts: public\.run\(text\) in database "app" owned by postgres \(superuser\), executable by PUBLIC \(every role\): 6 non-admin login roles \(alice, analyst, app, auditor, lockout_probe and 1 more\)/],
  ['PUBLIC cannot be declared away, even with every runner declared', evidence(postgresRead([superuserRun({ public: true })])), sampleTarget({ allow: { privileged: ['app'] } }), 'failed', /executable by PUBLIC \(every role\)/],
  ["a CREATEROLE owner's routine run through a role", evidence(postgresRead([superuserRun({ routine: 'ops.add_role(text)', database: 'ledger', owner: 'provisioner', ownerIsAdministrator: false, ownerRights: ['CREATEROLE'], runners: [{ account: 'etl', how: 'through role loaders' }] })])), sampleTarget(), 'failed',
    /ops\.add_role\(text\) in database "ledger" owned by provisioner \(CREATEROLE\), executable by 1 non-admin login role: etl \(through role loaders\)/],
  ['the runner declared in allow.privileged', evidence(postgresRead([superuserRun()])), sampleTarget({ allow: { privileged: ['app'] } }), 'passed',
    /executable by any of 4 non-admin login roles beyond the accepted ones below .*; routines accepted: public\.run\(text\) in database "app" \(executable by app, declared in allow\.privileged\)/],
  ['only the owner declared: its rights are accepted for itself, not for its callers', evidence(postgresRead([superuserRun({ owner: 'ops', ownerIsAdministrator: false, ownerRights: ['CREATEDB'] })]), [{ account: 'ops', rights: ['CREATEDB'] }]), sampleTarget({ allow: { privileged: ['ops'] } }), 'failed',
    /public\.run\(text\) in database "app" owned by ops \(CREATEDB\), executable by 1 non-admin login role: app$/],
  ['one of two runners declared', evidence(postgresRead([superuserRun({ runners: [{ account: 'app' }, { account: 'etl' }] })])), sampleTarget({ allow: { privileged: ['app'] } }), 'failed', /executable by 1 non-admin login role: etl$/],
  ['an Azure platform role on an Azure server', evidence(postgresRead([superuserRun({ runners: [{ account: 'azure_pg_admin' }] })]), [], true), sampleTarget(), 'passed',
    /routines accepted: public\.run\(text\) in database "app" \(executable by azure_pg_admin, Azure platform roles\)/],
  ['a platform role name on a server that is not Azure', evidence(postgresRead([superuserRun({ runners: [{ account: 'azure_pg_admin' }] })]), [], false), sampleTarget(), 'failed', /executable by 1 non-admin login role: azure_pg_admin/],
  ['more routines than the bound, none failing', evidence(postgresRead([], { problem: 'more than 1000 SECURITY DEFINER routines in database "app": only the first 1000 were read' })), sampleTarget(), 'undecided', /only the first 1000 were read/],
  ['more routines than the bound, one failing', evidence(postgresRead([superuserRun()], { problem: 'more than 1000 SECURITY DEFINER routines' })), sampleTarget(), 'failed', /public\.run\(text\)/],
  ['a right held and a routine, both named', evidence(postgresRead([superuserRun()]), [{ account: 'etl', rights: ['CREATEROLE'] }]), sampleTarget(), 'failed',
    /^non-admin accounts hold privileged rights: etl \(CREATEROLE\)\. SECURITY DEFINER routines hand their owner's rights to non-admin accounts: public\.run\(text\)/],
  ['eleven failing routines: ten named, the rest counted', evidence(postgresRead(Array.from({ length: 11 }, (_, index) => superuserRun({ routine: `public.run${index}(text)` })))), sampleTarget(), 'failed', /public\.run9\(text\).*; and 1 more routines$/],
  ['evidence from before the routines were read', evidence(undefined), sampleTarget(), 'passed', /routines that run with their owner's rights not examined \(evidence from before they were read\)/],
  ["MariaDB: root's DEFINER procedure the application account may run", evidence({ routines: [superuserRun({ routine: 'PROCEDURE app.run', database: undefined, owner: "'root'@'localhost'", runners: [{ account: "'app'@'%'", user: 'app' }] })], examined: 50, accounts: 5 }), mysql, 'failed',
    /SQL SECURITY DEFINER routines hand their definer's rights to non-admin accounts: PROCEDURE app\.run defined by 'root'@'localhost' \(administrator: SUPER \/ ALL PRIVILEGES\), executable by 1 non-admin account: 'app'@'%'/],
  ['MariaDB: the runner declared by its user name', evidence({ routines: [superuserRun({ routine: 'PROCEDURE app.run', database: undefined, owner: "'root'@'localhost'", runners: [{ account: "'app'@'%'", user: 'app' }] })], examined: 50, accounts: 5 }), sampleTarget({ engine: 'mysql', allow: { privileged: ['app'] } }), 'passed',
    /routines accepted: PROCEDURE app\.run \(executable by 'app'@'%', declared in allow\.privileged\)/],
  ['MariaDB: nothing to hand over', evidence({ routines: [], examined: 50, accounts: 5 }), mysql, 'passed',
    /50 routines \(mysql\.proc\) examined, none SQL SECURITY DEFINER with a definer holding forbidden rights executable by any of 5 non-admin accounts \(views with a DEFINER are not examined/],
  ['MySQL: mysql.proc unreadable', evidence({ routines: [], examined: 0, accounts: 5, problem: 'the stored routines could not be read from mysql.proc' }), mysql, 'undecided', /could not be read from mysql\.proc/],
  ['MySQL: mysql.proc unreadable, but a right held fails anyway', evidence({ routines: [], examined: 0, accounts: 5, problem: 'the stored routines could not be read from mysql.proc' }, [{ account: "'etl'@'%'", user: 'etl', rights: ['FILE'] }]), mysql, 'failed', /'etl'@'%' \(FILE\)/],
] as const) {
  test(`access.least-privilege judge: ${name} -> ${verdict}`, () => {
    const judgement = leastPrivilege.judge(given, target);
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}

for (const [pattern, database, covers] of [
  ['app', 'app', true],
  ['app', 'App', true],
  ['app', 'apps', false],
  ['%', 'anything', true],
  ['ap_', 'app', true],
  ['ap_', 'ap', false],
  ['app\\_db', 'app_db', true],
  ['app\\_db', 'appxdb', false],
  ['a.b', 'axb', false],
  ['m%', 'mysql', true],
] as const) {
  test(`databasePatternCovers: ${pattern} ${covers ? 'covers' : 'does not cover'} ${database}`, () => assert.equal(databasePatternCovers(pattern, database), covers));
}
