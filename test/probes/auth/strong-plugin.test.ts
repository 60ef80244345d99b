import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strongPlugin } from '../../../src/probes/auth/strong-plugin.js';
import { sampleTarget } from '../../support/sample-target.js';

const evidence = (plugins: Record<string, string>, withoutStoredPassword: Record<string, string> = {}) => ({ readAs: 'read as the declared auditor "auditor"', plugins, withoutStoredPassword, loginAccount: 'no login made' as const });
const rows: Array<[string, Record<string, string>, string, RegExp, Record<string, string>?]> = [
  ['a PAM account beside ed25519 ones is listed apart, not counted as a password', { "'app'@'%'": 'ed25519' }, 'passed', /all 1 accounts with a password use a strong plugin \(ed25519\); 1 authenticates without a stored password, not judged here: 'entra'@'%' \(pam\)/, { "'entra'@'%'": 'pam' }],
  ['ed25519 and caching_sha2', { "'app'@'%'": 'ed25519', "'auditor'@'%'": 'caching_sha2_password' }, 'passed', /all 2 accounts.*ed25519, caching_sha2_password/],
  ['one native password', { "'app'@'%'": 'ed25519', "'legacy'@'%'": 'mysql_native_password' }, 'failed', /'legacy'@'%' \(mysql_native_password\)/],
  ['a pre-plugin hash', { "'old'@'%'": '' }, 'failed', /pre-plugin hash/],
  ['no account with a password', {}, 'passed', /no account that can log in has a password/],
  // MariaDB IDENTIFIED VIA a OR b: the read joins every alternative that holds a password.
  ['a native alternative beside ed25519', { "'dual'@'%'": 'ed25519 OR mysql_native_password' }, 'failed', /'dual'@'%' \(ed25519 OR mysql_native_password\)/],
  ['a plugin the harness does not know is never counted strong', { "'app'@'%'": 'ed25519', "'odd'@'%'": 'authentication_custom' }, 'undecided', /does not know to be strong or weak: 'odd'@'%' \(authentication_custom\)/],
  ["MariaDB 11.6's parsec (PBKDF2) is strong", { "'app'@'%'": 'parsec' }, 'passed', /all 1 accounts with a password use a strong plugin \(parsec\)/],
  ['a weak plugin fails even beside an unknown one', { "'odd'@'%'": 'authentication_custom', "'legacy'@'%'": 'mysql_native_password' }, 'failed', /'legacy'@'%' \(mysql_native_password\)/],
  ['ed25519 alternatives only', { "'dual'@'%'": 'ed25519 OR ed25519', "'app'@'%'": 'caching_sha2_password' }, 'passed', /all 2 accounts.*\(ed25519, caching_sha2_password\)/],
];
for (const [name, plugins, verdict, reason, apart] of rows) {
  test(`auth.strong-plugin judge: ${name} -> ${verdict}`, () => {
    const judgement = strongPlugin.judge(evidence(plugins, apart), sampleTarget({ engine: 'mysql' }));
    assert.equal(judgement.verdict, verdict);
    assert.match(judgement.reason, reason);
  });
}
