/**
 * Table tests of what a routine's body is found to do (postgres-routine-body.ts): PL/pgSQL's
 * EXECUTE of a parameter as the caller gave it, joined or cast, by position or by name, is the
 * caller's statement; a quoted, formatted, bound (USING) or reassigned one, or a constant, is dynamic
 * SQL not traced to the caller; comments and literals never count; an unterminated literal is not
 * analysed. No server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseBody, codeOnly, isTextualType, namedCalls, type BodyFinding, type RoutineParameter } from '../../../src/probes/access/postgres-routine-body.js';

const text1: RoutineParameter = { position: 1, textual: true };
const named = (name: string, textual = true, position = 1): RoutineParameter => ({ position, name, textual });

for (const [name, body, parameters, expected, trigger] of [
  ['the lab variant: EXECUTE $1', ' BEGIN EXECUTE $1; END ', [text1], { kind: 'caller-statement', parameter: '$1' }],
  ['lower case, by name', 'begin execute stmt; end', [named('stmt')], { kind: 'caller-statement', parameter: 'stmt' }],
  ['joined into a statement', "BEGIN EXECUTE 'GRANT ' || $1 || ' TO app'; END", [text1], { kind: 'caller-statement', parameter: '$1' }],
  ['cast and in parentheses', 'BEGIN EXECUTE ($1::text); END', [text1], { kind: 'caller-statement', parameter: '$1' }],
  ['RETURN QUERY EXECUTE ... USING', "BEGIN RETURN QUERY EXECUTE sql USING 1; END", [named('sql')], { kind: 'caller-statement', parameter: 'sql' }],
  ['FOR ... IN EXECUTE ... LOOP', 'DECLARE r record; BEGIN FOR r IN EXECUTE q LOOP NULL; END LOOP; END', [named('q')], { kind: 'caller-statement', parameter: 'q' }],
  ['the second parameter', "BEGIN EXECUTE 'SELECT 1'; EXECUTE $2; END", [{ position: 1, textual: false }, { position: 2, textual: true }], { kind: 'caller-statement', parameter: '$2' }],
  ['a trigger argument, which the creator of each trigger writes', 'BEGIN EXECUTE TG_ARGV[0]; RETURN NEW; END', [], { kind: 'caller-statement', parameter: 'TG_ARGV[0]' }, true],
  ['quoted with quote_ident', "BEGIN EXECUTE 'ANALYZE ' || quote_ident($1); END", [text1], { kind: 'dynamic-sql' }],
  ['formatted', "BEGIN EXECUTE format('REFRESH MATERIALIZED VIEW %I', $1); END", [text1], { kind: 'dynamic-sql' }],
  ['bound as a value (USING), the statement a constant', "BEGIN EXECUTE 'SELECT * FROM t WHERE name = $1' USING $1; END", [text1], { kind: 'dynamic-sql' }],
  ['an integer parameter', "BEGIN EXECUTE 'SELECT ' || n; END", [named('n', false)], { kind: 'dynamic-sql' }],
  ['reassigned first (it may have been cleaned)', 'BEGIN stmt := quote_literal(stmt); EXECUTE stmt; END', [named('stmt')], { kind: 'dynamic-sql' }],
  ['a local variable', "DECLARE s text := 'VACUUM'; BEGIN EXECUTE s; END", [], { kind: 'dynamic-sql' }],
  ['TG_ARGV outside a trigger function is no parameter', 'BEGIN EXECUTE TG_ARGV[0]; END', [], { kind: 'dynamic-sql' }],
  ['no EXECUTE: static SQL', 'SELECT count(*) FROM pg_stat_activity WHERE usename = $1', [text1], { kind: 'static-sql' }],
  ['EXECUTE in a comment', '-- EXECUTE $1\nSELECT 1 /* EXECUTE $1 /* nested */ still */', [text1], { kind: 'static-sql' }],
  ['EXECUTE in string literals', "BEGIN RAISE NOTICE 'EXECUTE $1'; RAISE NOTICE E'it\\'s EXECUTE $1'; PERFORM $q$EXECUTE $1$q$; END", [text1], { kind: 'static-sql' }],
  ['an unterminated literal', "BEGIN RAISE NOTICE 'EXECUTE $1; END", [text1], { kind: 'unreadable' }],
] as ReadonlyArray<readonly [string, string, RoutineParameter[], BodyFinding, boolean?]>) {
  test(`routine body: ${name} -> ${expected.kind}`, () => assert.deepEqual(analyseBody(body, parameters, trigger ?? false), expected));
}

test('codeOnly keeps positions, blanks literal contents and quoted names, and leaves $1 alone', () => {
  const body = `SELECT $1, 'a--b', "Odd Name", $x$ EXECUTE $x$ -- gone\nFROM t`;
  const code = codeOnly(body)!;
  assert.equal(code.length, body.length);
  assert.equal(code, `SELECT $1, '    ', "________", $x$         $x$        \nFROM t`);
});

test('namedCalls finds calls by name, qualified or not, never in comments or literals', () => {
  assert.deepEqual(namedCalls("SELECT pg_catalog.lo_export($1, $2), query_to_xml ($3, true, false, '')", ['lo_export', 'lo_import', 'query_to_xml']), ['lo_export', 'query_to_xml']);
  assert.deepEqual(namedCalls("SELECT 'lo_export(1)' -- lo_import(x)\n, my_lo_export(1)", ['lo_export', 'lo_import']), []);
});

test('textual types: free text a statement can be written in', () => {
  for (const type of ['text', 'character varying', 'character', 'name', 'citext', 'public.citext']) assert.equal(isTextualType(type), true, type);
  for (const type of ['integer', 'text[]', 'jsonb', 'regclass', 'anyelement']) assert.equal(isTextualType(type), false, type);
});
