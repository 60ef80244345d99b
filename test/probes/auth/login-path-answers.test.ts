import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerOfRefusal, refusedByRules } from '../../../src/probes/auth/login-paths.js';

test('login paths: a failed ident lookup is ident authentication, not a refusal', () => {
  assert.deepEqual(answerOfRefusal('28000', 'Ident authentication failed for user "app"'), { kind: 'asked', method: 'ident' });
});

test("login paths: only pg_hba's own refusals count as its rules", () => {
  const rules = [
    'no pg_hba.conf entry for host "127.0.0.1", user "app", database "sales", no encryption',
    'no pg_hba.conf entry for replication connection from host "127.0.0.1", user "app", SSL encryption',
    'pg_hba.conf rejects connection for host "127.0.0.1", user "app", database "app", no encryption',
    // PostgreSQL 13 words a reject line for replication so.
    'pg_hba.conf rejects replication connection for host "127.0.0.1", user "app", SSL off',
    'connection requires a valid client certificate',
    'certificate authentication failed for user "app"',
  ];
  for (const message of rules) assert.equal(refusedByRules(answerOfRefusal('28000', message)), true, message);
  const others: Array<[string, string]> = [
    ['53300', 'sorry, too many clients already'],
    ['57P03', 'the database system is starting up'],
    ['28000', 'keine pg_hba.conf-Eintrag'],
    ['28P01', 'password authentication failed for user "app"'],
    ['08P01', 'invalid length of startup packet'],
  ];
  for (const [code, message] of others) assert.equal(refusedByRules(answerOfRefusal(code, message)), false, `${code} ${message}`);
});
