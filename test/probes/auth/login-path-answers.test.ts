import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerOfRefusal, refusedByRules } from '../../../src/probes/auth/login-paths.js';

test('login paths: a failed ident lookup is ident authentication, not a refusal', () => {
  assert.deepEqual(answerOfRefusal('28000', 'Ident authentication failed for user "app"'), { kind: 'asked', method: 'ident' });
});

test("login paths: only pg_hba's own refusals count as its rules, in any language the server speaks", () => {
  const rules = [
    'no pg_hba.conf entry for host "127.0.0.1", user "app", database "sales", no encryption',
    'no pg_hba.conf entry for replication connection from host "127.0.0.1", user "app", SSL encryption',
    'pg_hba.conf rejects connection for host "127.0.0.1", user "app", database "app", no encryption',
    // PostgreSQL 13 words a reject line for replication so.
    'pg_hba.conf rejects replication connection for host "127.0.0.1", user "app", SSL off',
    'connection requires a valid client certificate',
    'certificate authentication failed for user "app"',
    // lc_messages other than English, as PostgreSQL 15's own message catalogs (de, fr, ja) word them.
    'kein pg_hba.conf-Eintrag für Host »127.0.0.1«, Benutzer »app«, Datenbank »sales«, keine Verschlüsselung',
    'pg_hba.conf lehnt Replikationsverbindung ab für Host »127.0.0.1«, Benutzer »app«, keine Verschlüsselung',
    "aucune entrée dans pg_hba.conf pour l'hôte « 127.0.0.1 », utilisateur « app »,\nbase de données « sales », aucun chiffrement",
    'pg_hba.conf にホスト"127.0.0.1"、ユーザー"app"、データベース"sales, 暗号化なし用のエントリがありません',
  ];
  for (const message of rules) assert.equal(refusedByRules(answerOfRefusal('28000', message)), true, message);
  const others: Array<[string, string]> = [
    ['53300', 'sorry, too many clients already'],
    ['57P03', 'the database system is starting up'],
    // Translated refusals that are not pg_hba's: a failed ident lookup, a role that does not exist.
    ['28000', 'Ident-Authentifizierung für Benutzer »app« fehlgeschlagen'],
    ['28000', 'Rolle »ghost« existiert nicht'],
    ['28000', "le rôle « ghost » n'existe pas"],
    ['28P01', 'password authentication failed for user "app"'],
    ['08P01', 'invalid length of startup packet'],
  ];
  for (const [code, message] of others) assert.equal(refusedByRules(answerOfRefusal(code, message)), false, `${code} ${message}`);
});

test("login paths: a role or database whose name holds pg_hba.conf does not turn another refusal into pg_hba's", () => {
  const role = 'x pg_hba.conf';
  const ident = answerOfRefusal('28000', `Ident-Authentifizierung für Benutzer »${role}« fehlgeschlagen`);
  assert.equal(refusedByRules(ident, { role, database: 'app' }), false);
  assert.equal(refusedByRules(answerOfRefusal('28000', `Rolle »${role}« existiert nicht`), { role, database: 'app' }), false);
  assert.equal(refusedByRules(answerOfRefusal('28000', 'Datenbank »pg_hba.conf« existiert nicht'), { role: 'app', database: 'pg_hba.conf' }), false);
  // A short name is cut only where it is quoted, never out of the file's own name.
  assert.equal(refusedByRules(answerOfRefusal('28000', 'no pg_hba.conf entry for host "127.0.0.1", user "pg", database "a", no encryption'), { role: 'pg', database: 'a' }), true);
  assert.equal(refusedByRules(answerOfRefusal('28000', "aucune entrée dans pg_hba.conf pour l'hôte « 127.0.0.1 », utilisateur « hba »"), { role: 'hba', database: 'conf' }), true);
  // pg_hba's own refusal of that role still counts: the file is named outside the quoted names.
  assert.equal(refusedByRules(answerOfRefusal('28000', `no pg_hba.conf entry for host "127.0.0.1", user "${role}", database "app", no encryption`), { role, database: 'app' }), true);
});
