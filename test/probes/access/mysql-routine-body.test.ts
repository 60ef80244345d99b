/**
 * Table tests of what a MySQL/MariaDB routine's body is found to do (mysql-routine-body.ts):
 * PREPARE ... FROM or EXECUTE IMMEDIATE of a parameter as its caller gave it, joined by CONCAT or
 * carried through a variable, an @variable the body never sets, and EXECUTE of a statement the body
 * never PREPAREs are its caller's statement; a quoted, rebuilt or constant text is dynamic SQL not
 * traced to the caller; a body without any is static, with the administrator's statements it holds,
 * the databases it names and the functions it calls. Strings, comments and quoted names never
 * count, except a versioned comment (/*! ... *\/), which the server runs; an unterminated one is not
 * analysed. No server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseRoutineBody, isTextualType, parseParameterList, type BodyFinding, type RoutineParameter } from '../../../src/probes/access/mysql-routine-body.js';

const MODE = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';
const text = (name: string, mode: RoutineParameter['mode'] = 'IN'): RoutineParameter => ({ name, mode, textual: true });
const statement = [text('statement')];
const fromParameter = (name: string): BodyFinding => ({ kind: 'caller-statement', from: { kind: 'parameter', name } });
const staticBody = (rest: Partial<Extract<BodyFinding, { kind: 'static' }>> = {}): BodyFinding => ({ kind: 'static', statements: [], databases: [], calls: [], ...rest });

for (const [name, body, parameters, expected, sqlMode = MODE, database = 'app'] of [
  ["the lab variant's procedure", 'BEGIN PREPARE s FROM statement; EXECUTE s; DEALLOCATE PREPARE s; END', statement, fromParameter('statement')],
  ['EXECUTE IMMEDIATE of the parameter, lower case, with USING', 'begin execute immediate Statement using 1; end', statement, fromParameter('statement')],
  ['INOUT parameter, joined by CONCAT into a statement', "BEGIN PREPARE s FROM CONCAT('SELECT * FROM t WHERE ', (cond), ' LIMIT 10'); EXECUTE s; END", [text('cond', 'INOUT')], fromParameter('cond')],
  ['through a user variable (MySQL 8 prepares only from one)', "BEGIN SET @q = CONCAT_WS(' ', 'CALL', what); PREPARE s FROM @q; EXECUTE s; END", [text('what')], fromParameter('what')],
  ['through a local variable with a DEFAULT, then another', 'BEGIN DECLARE a TEXT DEFAULT stmt; DECLARE b TEXT; SET b = a; PREPARE s FROM b; EXECUTE s; END', [text('stmt')], fromParameter('stmt')],
  ['a quoted name: `statement`', 'BEGIN PREPARE `s` FROM `statement`; EXECUTE `s`; END', statement, fromParameter('statement')],
  ['an @variable the body never sets: its caller sets it before the CALL', 'BEGIN PREPARE s FROM @sql; EXECUTE s; END', [], { kind: 'caller-statement', from: { kind: 'session-variable', name: '@sql' } }],
  ['EXECUTE of a statement the body never PREPAREs: its caller prepared it', 'BEGIN EXECUTE s2; END', [], { kind: 'caller-statement', from: { kind: 'prepared-statement', name: 's2' } }],
  ['under PIPES_AS_CONCAT, || joins', "BEGIN PREPARE s FROM 'SELECT ' || cols; EXECUTE s; END", [text('cols')], fromParameter('cols'), `${MODE},PIPES_AS_CONCAT`],
  ['without PIPES_AS_CONCAT, || is OR', "BEGIN PREPARE s FROM 'SELECT ' || cols; EXECUTE s; END", [text('cols')], { kind: 'dynamic-sql' }],
  ['quoted first with QUOTE()', "BEGIN PREPARE s FROM CONCAT('SELECT * FROM t WHERE name = ', QUOTE(n)); EXECUTE s; END", [text('n')], { kind: 'dynamic-sql' }],
  ['the parameter cleaned in place first', "BEGIN SET statement = QUOTE(statement); PREPARE s FROM CONCAT('SELECT ', statement); EXECUTE s; END", statement, { kind: 'dynamic-sql' }],
  ['an @variable the body sets to a constant', "BEGIN SET @q = 'ANALYZE TABLE t'; PREPARE s FROM @q; EXECUTE s; END", [], { kind: 'dynamic-sql' }],
  ['an @variable set from a table (SELECT ... INTO)', 'BEGIN SELECT q INTO @q FROM jobs LIMIT 1; PREPARE s FROM @q; EXECUTE s; END', [], { kind: 'dynamic-sql' }],
  ['a variable set in one branch from the parameter, in another from a constant', "BEGIN DECLARE q TEXT; IF x THEN SET q = x; ELSE SET q = 'SELECT 1'; END IF; PREPARE s FROM q; EXECUTE s; END", [text('x')], { kind: 'dynamic-sql' }],
  ['a variable a CALL may set', 'BEGIN DECLARE q TEXT DEFAULT p; CALL clean(q); PREPARE s FROM q; EXECUTE s; END', [text('p')], { kind: 'dynamic-sql' }],
  ['an integer parameter', "BEGIN PREPARE s FROM CONCAT('SELECT ', n); EXECUTE s; END", [{ name: 'n', mode: 'IN', textual: false }], { kind: 'dynamic-sql' }],
  ['an OUT parameter starts empty', 'BEGIN PREPARE s FROM o; EXECUTE s; END', [text('o', 'OUT')], { kind: 'dynamic-sql' }],
  ['a constant statement, PREPAREd in the body', "BEGIN PREPARE s FROM 'OPTIMIZE TABLE t'; EXECUTE s USING @x; END", [], { kind: 'dynamic-sql' }],
  ['GRANT EXECUTE is a privilege, not a statement run', "GRANT EXECUTE ON PROCEDURE app.p TO 'x'@'%'", [], staticBody({ statements: ['GRANT'], databases: ['app'] })],
  ['dynamic SQL in strings, comments and quoted names does not count', "BEGIN SELECT 'PREPARE s FROM statement' AS `EXECUTE s`; -- EXECUTE s\n# PREPARE s FROM statement\n/* EXECUTE IMMEDIATE statement */ SELECT \"it\\\"s EXECUTE s\"; END", statement, staticBody()],
  ['a versioned comment is code the server runs', 'BEGIN /*!50000 PREPARE s FROM statement; EXECUTE s; */ END', statement, fromParameter('statement')],
  ['a MariaDB versioned comment too', 'BEGIN /*M!100100 EXECUTE IMMEDIATE statement */; END', statement, fromParameter('statement')],
  [
    'under NO_BACKSLASH_ESCAPES a backslash ends nothing: the string closes and the code after it counts',
    "BEGIN SELECT 'C:\\'; PREPARE s FROM statement; EXECUTE s; END",
    statement,
    fromParameter('statement'),
    `${MODE},NO_BACKSLASH_ESCAPES`,
  ],
  ['with backslash escapes the same text is one unterminated string', "BEGIN SELECT 'C:\\'; PREPARE s FROM statement; EXECUTE s; END", statement, { kind: 'unreadable', why: 'a string, quoted name or comment in its body does not end' }],
  ['an unterminated comment', 'BEGIN SELECT 1; /* EXECUTE s; END', [], { kind: 'unreadable', why: 'a string, quoted name or comment in its body does not end' }],
  ['sql_mode ORACLE', 'BEGIN NULL; END', [], { kind: 'unreadable', why: 'a body written under sql_mode ORACLE (PL/SQL syntax) is not analysed' }, 'ORACLE,PIPES_AS_CONCAT'],
  ['static: reads a table of its own database', 'BEGIN SELECT COUNT(*) INTO n FROM items; END', [text('n', 'OUT')], staticBody({ calls: ['COUNT'] })],
  ['static: names other databases and calls a function in one', 'SELECT tools.slug(name) FROM crm.customers c WHERE c.id = 1', [], staticBody({ databases: ['tools', 'crm', 'c'], calls: ['tools.slug'] })],
  ['static: account statements', "BEGIN CREATE OR REPLACE USER x@'%'; ALTER USER x@'%' ACCOUNT LOCK; SET PASSWORD FOR x = PASSWORD('p'); SET DEFAULT ROLE r FOR x; REVOKE ALL ON *.* FROM x; END", [], staticBody({
    statements: ['CREATE USER', 'ALTER / DROP / RENAME USER', 'SET PASSWORD', 'SET ROLE / DEFAULT ROLE', 'REVOKE'],
    calls: ['PASSWORD'],
  })],
  ['static: server settings and files', "BEGIN SET GLOBAL general_log = 1; SET @@global.max_connections = 10; SET sql_log_bin = 0; SELECT LOAD_FILE('/etc/passwd'); SELECT 1 INTO OUTFILE '/tmp/x'; LOAD DATA INFILE 'x' INTO TABLE t; INSTALL SONAME 'ha_connect'; END", [], staticBody({
    statements: ['SET GLOBAL', 'a variable only an administrator may set', 'LOAD_FILE', 'INTO OUTFILE / DUMPFILE', 'LOAD DATA', 'INSTALL / UNINSTALL PLUGIN'],
    calls: ['LOAD_FILE'],
  })],
  ['static: reading @@global is not setting it; a session setting of the ordinary kind is not counted', 'BEGIN SET SESSION group_concat_max_len = 100000; SELECT @@global.read_only INTO r; END', [], staticBody()],
  ['static: CALL, KILL, FLUSH, SHUTDOWN, replication', 'BEGIN CALL other(); KILL 5; FLUSH PRIVILEGES; SHUTDOWN; STOP SLAVE; PURGE BINARY LOGS BEFORE NOW(); END', [], staticBody({
    statements: ['CALL', 'KILL', 'FLUSH', 'SHUTDOWN', 'replication or binary log statements'],
    calls: ['other', 'NOW'],
  })],
  ['static: the mysql system database, quoted or not', 'BEGIN SELECT COUNT(*) FROM `mysql`.`global_priv`; END', [], staticBody({ statements: ['the mysql system database'], databases: ['mysql'], calls: ['COUNT'] })],
  ['static: a routine of the mysql database reaches its tables unqualified', 'SELECT 1', [], staticBody({ statements: ['the mysql system database'] }), MODE, 'mysql'],
  ['static: numbers are no database', 'SELECT 1.5 + 2.25', [], staticBody()],
] as ReadonlyArray<readonly [string, string, RoutineParameter[], BodyFinding, string?, string?]>) {
  test(`mysql routine body: ${name} -> ${expected.kind}`, () => assert.deepEqual(analyseRoutineBody(body, parameters, sqlMode, database), expected));
}

test("param_list: modes, quoted names, types with commas; a function's have no mode", () => {
  assert.deepEqual(parseParameterList("IN statement TEXT, OUT `n` DECIMAL(10,2), INOUT flag ENUM('a','b'), IN note VARCHAR(200) CHARACTER SET utf8mb4", MODE), [
    { name: 'statement', mode: 'IN', textual: true },
    { name: 'n', mode: 'OUT', textual: false },
    { name: 'flag', mode: 'INOUT', textual: false },
    { name: 'note', mode: 'IN', textual: true },
  ]);
  assert.deepEqual(parseParameterList('x INT, y LONGTEXT', MODE), [
    { name: 'x', mode: 'IN', textual: false },
    { name: 'y', mode: 'IN', textual: true },
  ]);
  assert.deepEqual(parseParameterList('', MODE), []);
  assert.equal(parseParameterList("IN s VARCHAR(10) DEFAULT 'x", MODE), undefined);
});

test('textual types: free text a statement can be written in', () => {
  for (const type of ['text', 'VARCHAR(200)', 'longtext', 'char', 'varbinary(10)', 'json', 'MEDIUMBLOB']) assert.equal(isTextualType(type), true, type);
  for (const type of ['int', 'decimal(10,2)', "enum('a')", "set('a','b')", 'datetime', 'bigint unsigned']) assert.equal(isTextualType(type), false, type);
});
