import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noPasswordless, type PasswordlessEvidence } from '../../../src/probes/auth/passwordless.js';
import { sampleTarget } from '../../support/sample-target.js';
import { loginPathMatrix } from '../../support/login-path-matrix.js';
import type { LoginPathMatrix } from '../../../src/probes/auth/login-paths.js';

const pg = (matrix: LoginPathMatrix): PasswordlessEvidence => ({ engine: 'postgres', ...matrix });
const my = (accountsWithEmptyPassword: string[], logins: Array<[string, 'accepted' | 'refused-by-authentication']>, catalogProblem?: string): PasswordlessEvidence => ({
  engine: 'mysql',
  transport: 'tls',
  catalog: catalogProblem ? `not read (${catalogProblem})` : 'read as the declared auditor "auditor"; 9 accounts listed',
  catalogProblem,
  accountsWithEmptyPassword,
  emptyPasswordLogins: logins.map(([user, outcome]) => ({ user, outcome })),
});

const rows: Array<{ name: string; evidence: PasswordlessEvidence; verdict: string; reason: RegExp }> = [
  { name: 'PostgreSQL: every path asks for a password', evidence: pg(loginPathMatrix()), verdict: 'passed', reason: /24 login paths asked .*from this host's address: pg_hba lines for other client addresses cannot be seen from here\): none lets a role in without a password/ },
  { name: 'PostgreSQL: trust to another database', evidence: pg(loginPathMatrix({ 'auditor@postgres tls': { kind: 'asked', method: 'none' } })), verdict: 'failed', reason: /1 login paths let a role in without any password \(trust\): auditor@postgres over tls/ },
  { name: 'PostgreSQL: trust on replication', evidence: pg(loginPathMatrix({ 'app@replication tls': { kind: 'asked', method: 'none' } })), verdict: 'failed', reason: /app@physical replication over tls/ },
  { name: "PostgreSQL: ident takes the client host's word", evidence: pg(loginPathMatrix({ 'app@postgres tls': { kind: 'asked', method: 'ident' } })), verdict: 'failed', reason: /1 login paths take the user name from the client host's ident service instead of a password \(ident\): app@postgres over tls/ },
  { name: 'PostgreSQL: a 28000 refusal in words that are not a pg_hba rule', evidence: pg(loginPathMatrix({ 'app@app tls': { kind: 'refused', code: '28000', message: 'Ident-Authentifizierung für Benutzer »app« fehlgeschlagen' } })), verdict: 'undecided', reason: /not an authentication rule.*28000 Ident-Authentifizierung/ },
  { name: 'PostgreSQL: a path without answer', evidence: pg(loginPathMatrix({ 'app@app tls': { kind: 'no-answer', reason: 'reset' } })), verdict: 'undecided', reason: /got no answer/ },
  { name: 'PostgreSQL: a path refused because the server was full, not by its rules', evidence: pg(loginPathMatrix({ 'app@postgres tls': { kind: 'refused', code: '53300', message: 'sorry, too many clients already' } })), verdict: 'undecided', reason: /1 login paths were refused for a reason that is not an authentication rule.*first: app@postgres over tls: 53300 sorry, too many clients already/ },
  { name: 'PostgreSQL: a refusal without a SQLSTATE is not taken for a rule', evidence: pg(loginPathMatrix({ 'app@app plaintext': { kind: 'refused', message: 'go away' } })), verdict: 'undecided', reason: /not an authentication rule.*no SQLSTATE go away/ },
  { name: 'PostgreSQL: the roles could not be listed', evidence: pg(loginPathMatrix({}, undefined, { listProblem: 'login refused' })), verdict: 'undecided', reason: /could not be listed/ },
  { name: 'PostgreSQL: trust outweighs an unreadable catalog', evidence: pg(loginPathMatrix({ 'app@app tls': { kind: 'asked', method: 'none' } }, undefined, { listProblem: 'login refused' })), verdict: 'failed', reason: /trust/ },
  { name: 'PostgreSQL: the bound cut the paths short', evidence: pg(loginPathMatrix({}, undefined, { planned: 30, plannedBothTransports: 30 })), verdict: 'undecided', reason: /only 24 of 30 login paths were asked \(maxLoginPaths \d+\); the rest are unknown: to ask them all, give this target maxLoginPaths: 30 in the config file \(on a --target URL: \?max-login-paths=30\)$/ },
  { name: 'MySQL: no empty password', evidence: my([], []), verdict: 'passed', reason: /every account that checks a password has one/ },
  { name: 'MySQL: an empty password in the catalog', evidence: my(["'etl'@'%'"], [['etl', 'refused-by-authentication']]), verdict: 'failed', reason: /'etl'@'%'/ },
  { name: 'MySQL: an empty-password login got in', evidence: my([], [['root', 'accepted']], 'no permission'), verdict: 'failed', reason: /succeeded as root/ },
  { name: 'MySQL: the catalog listed no account at all (a view cut down to nothing)', evidence: { ...(my([], []) as Extract<PasswordlessEvidence, { engine: 'mysql' }>), catalog: 'read as the declared auditor "auditor"; 0 accounts listed', accountsListed: [] }, verdict: 'undecided', reason: /listed no account/ },
  { name: 'MySQL: the catalog could not be read', evidence: my([], [['root', 'refused-by-authentication']], 'no permission'), verdict: 'undecided', reason: /could not be listed/ },
  // Debian's mariadb-install-db leaves ''@'localhost' and ''@'<hostname>' without a password: the
  // pass may leave them to auth.no-anonymous, but must not say every account has a password.
  {
    name: 'MySQL: only anonymous accounts lack a password',
    evidence: { ...(my([], []) as Extract<PasswordlessEvidence, { engine: 'mysql' }>), anonymousWithEmptyPassword: ["''@'localhost'", "''@'vm'"] },
    verdict: 'passed',
    reason: /^every account with a user name that checks a password has one \(.*\); the anonymous accounts without a password, ''@'localhost', ''@'vm', are left to auth.no-anonymous$/,
  },
  // IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD(''): the catalog names the
  // account and the empty-password login proves it; one account, listed once.
  { name: 'MySQL: the catalog and the login name the same account', evidence: my(["'dualnp'@'localhost'"], [['dualnp', 'accepted']]), verdict: 'failed', reason: /^accounts without a password: 'dualnp'@'localhost'; an empty-password login succeeded as dualnp$/ },
  // Debian's stock MariaDB: ''@'localhost' takes "ghost" (no such account) or an 'app'@'%' it
  // shadows from this host. Without the catalog, the empty-password login that got in proves only
  // that the anonymous account has no password, not that the declared account has none.
  {
    name: 'MySQL: catalog unreadable, the empty-password login got in as the anonymous account',
    evidence: { ...(my([], [], 'access denied') as Extract<PasswordlessEvidence, { engine: 'mysql' }>), emptyPasswordLogins: [{ user: 'ghost', outcome: 'accepted', matchedAccount: '@localhost' }, { user: 'root', outcome: 'refused-by-authentication' }] },
    verdict: 'undecided',
    reason: /^the accounts could not be listed: access denied; an empty-password login as ghost got in only as the anonymous account ''@'localhost', which takes any user name \(auth.no-anonymous's finding\)$/,
  },
  {
    name: 'MySQL: the login as root got in as itself, ghost as the anonymous account',
    evidence: { ...(my([], [], 'access denied') as Extract<PasswordlessEvidence, { engine: 'mysql' }>), emptyPasswordLogins: [{ user: 'ghost', outcome: 'accepted', matchedAccount: '@localhost' }, { user: 'root', outcome: 'accepted', matchedAccount: 'root@localhost' }] },
    verdict: 'failed',
    reason: /^accounts without a password: root; an empty-password login succeeded as root; an empty-password login as ghost got in only as the anonymous account ''@'localhost'/,
  },
  // A plugin the harness does not know, with nothing stored: it may ask for no password at all.
  {
    name: 'MySQL: an unknown plugin with an empty stored credential, the empty-password login refused',
    evidence: { ...(my([], [['svc', 'refused-by-authentication']]) as Extract<PasswordlessEvidence, { engine: 'mysql' }>), unknownPluginWithoutCredential: ["'svc'@'%' (auth_custom)"] },
    verdict: 'undecided',
    reason: /^accounts that log in with a plugin this harness does not know, with an empty stored credential: 'svc'@'%' \(auth_custom\); none of the empty-password logins tried was let in/,
  },
  {
    name: 'MySQL: an unknown plugin with an empty stored credential, the empty-password login got in',
    evidence: { ...(my([], [['svc', 'accepted']]) as Extract<PasswordlessEvidence, { engine: 'mysql' }>), unknownPluginWithoutCredential: ["'svc'@'%' (auth_custom)"] },
    verdict: 'failed',
    reason: /^accounts without a password: svc; an empty-password login succeeded as svc$/,
  },
];

for (const { name, evidence, verdict, reason } of rows) {
  test(`auth.no-passwordless judge: ${name} -> ${verdict}`, () => {
    const judgement = noPasswordless.judge(evidence, sampleTarget());
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
