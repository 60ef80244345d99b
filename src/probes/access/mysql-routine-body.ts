/**
 * What a MySQL/MariaDB stored routine's body does, read from its text without running it: whether
 * its dynamic SQL (PREPARE ... FROM, EXECUTE IMMEDIATE, EXECUTE of a prepared statement) runs text
 * its caller wrote, whether it runs dynamic SQL at all, and, for a body without any, which
 * statements an administrator's power shows in, which databases it names and which functions it
 * calls. Used on SQL SECURITY DEFINER routines of administrators, where whatever runs, runs as the
 * administrator. Observed on lab MariaDB 10.11 as the application: `PREPARE s FROM statement`
 * (the parameter) ran its GRANT as root, and so did a body's bare `EXECUTE s2` of a statement the
 * application had PREPAREd in its own session before the CALL (prepared statements and @variables
 * belong to the session, not the routine).
 *
 * Only ever narrows "not analysed" down: a body that cannot be lexed to its end (a string, quoted
 * name or comment that does not end) is unreadable. The body never leaves this file: it may hold a
 * password (a CREATE SERVER, an ALTER USER).
 */

/** One parameter of the routine, as mysql.proc's param_list or information_schema.PARAMETERS give it. */
export interface RoutineParameter {
  name: string;
  /** A function's parameters are all IN. */
  mode: 'IN' | 'OUT' | 'INOUT';
  /** Its type holds free text a statement can be written in (CHAR, VARCHAR, TEXT, BLOB, JSON ...); a number, date, ENUM or SET does not. */
  textual: boolean;
}

/** The types (their first word) whose values are free text. */
const TEXTUAL_TYPES = new Set(['CHAR', 'VARCHAR', 'CHARACTER', 'NCHAR', 'NVARCHAR', 'NATIONAL', 'VARCHAR2', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'LONG', 'BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'JSON', 'CLOB', 'RAW']);

/** Whether a type, as a parameter is declared with it ("varchar(200)", "TEXT CHARACTER SET utf8"), holds free text. */
export const isTextualType = (type: string) => TEXTUAL_TYPES.has((/^\s*(\w+)/.exec(type)?.[1] ?? '').toUpperCase());

/** Where the text a body's dynamic SQL runs comes from, when its caller wrote it. */
export interface CallerText {
  /** parameter: an IN or INOUT parameter; session-variable: an @variable the body never sets (the caller's session sets it before the CALL); prepared-statement: a statement EXECUTEd that the body never PREPAREs. */
  kind: 'parameter' | 'session-variable' | 'prepared-statement';
  /** The parameter's name, "@name", or the prepared statement's name. */
  name: string;
}

export type BodyFinding =
  /** Its dynamic SQL runs text its caller wrote, as given or joined (CONCAT) into the statement. */
  | { kind: 'caller-statement'; from: CallerText }
  /** Dynamic SQL whose text was not traced to its caller: constants, quoted or rebuilt values, values read from tables. */
  | { kind: 'dynamic-sql' }
  /** No dynamic SQL: only the statements written in the body. */
  | {
      kind: 'static';
      /** The statements or references in it that reach an administrator's power ("GRANT", "the mysql system database"), each once. */
      statements: string[];
      /** Databases it names (db.table, db.function), each once, as written. */
      databases: string[];
      /** Functions it calls, "name" or "db.name" as written (built-in ones among them), each once. */
      calls: string[];
    }
  /** Not analysed, and why. */
  | { kind: 'unreadable'; why: string };

type TokenKind = 'word' | 'ident' | 'string' | 'variable' | 'system' | 'punct';

interface Token {
  kind: TokenKind;
  /** word: as written; ident: the name unquoted; variable: "@name" in lower case; system: "@@scope.name" in lower case; punct: the character; string: '' (its text is never kept). */
  text: string;
}

/** How the routine's sql_mode (kept with it) changes the lexing: backslash escapes, and "..." as a name rather than a string. */
export interface LexMode {
  backslashEscapes: boolean;
  ansiQuotes: boolean;
  pipesAsConcat: boolean;
}

export function lexModeOf(sqlMode: string): LexMode {
  const modes = new Set(sqlMode.toUpperCase().split(',').map((mode) => mode.trim()));
  return {
    backslashEscapes: !modes.has('NO_BACKSLASH_ESCAPES'),
    ansiQuotes: modes.has('ANSI_QUOTES') || modes.has('ANSI'),
    pipesAsConcat: modes.has('PIPES_AS_CONCAT') || modes.has('ANSI'),
  };
}

const WORD_CHARACTER = /[\w$\u0080-\uffff]/;

/**
 * The body's tokens, outside comments; undefined when a string, quoted name or comment does not
 * end. A `/*! ... *\/` or `/*M! ... *\/` comment is code the server runs (MySQL and MariaDB
 * versioned comments), so its content is lexed as code.
 */
export function tokenize(body: string, mode: LexMode): Token[] | undefined {
  const tokens: Token[] = [];
  let inVersionedComment = false;
  let i = 0;
  /** The end (index after the closing quote) of a quoted run opening at `open`, or -1. */
  const quotedEnd = (open: number, escapes: boolean): number => {
    const quote = body[open];
    for (let j = open + 1; j < body.length; j++) {
      if (escapes && body[j] === '\\') j++;
      else if (body[j] === quote) {
        if (body[j + 1] === quote) j++;
        else return j + 1;
      }
    }
    return -1;
  };
  while (i < body.length) {
    const char = body[i];
    const next = body[i + 1] ?? '';
    if (/\s/.test(char)) {
      i++;
    } else if (char === '#' || (char === '-' && next === '-' && (i + 2 >= body.length || /[\s\x00-\x1f]/.test(body[i + 2])))) {
      const end = body.indexOf('\n', i);
      i = end === -1 ? body.length : end + 1;
    } else if (char === '/' && next === '*') {
      const versioned = /^\/\*(!|M!)\d*/.exec(body.slice(i, i + 12));
      if (versioned) {
        if (inVersionedComment) return undefined;
        inVersionedComment = true;
        i += versioned[0].length;
        continue;
      }
      const end = body.indexOf('*/', i + 2);
      if (end === -1) return undefined;
      i = end + 2;
    } else if (char === '*' && next === '/' && inVersionedComment) {
      inVersionedComment = false;
      i += 2;
    } else if (char === "'" || (char === '"' && !mode.ansiQuotes)) {
      const end = quotedEnd(i, mode.backslashEscapes);
      if (end === -1) return undefined;
      tokens.push({ kind: 'string', text: '' });
      i = end;
    } else if (char === '`' || char === '"') {
      const end = quotedEnd(i, false);
      if (end === -1) return undefined;
      tokens.push({ kind: 'ident', text: body.slice(i + 1, end - 1).replaceAll(char + char, char) });
      i = end;
    } else if (char === '@' && next === '@') {
      const name = /^@@([\w$]+)(\s*\.\s*([\w$]+))?/.exec(body.slice(i));
      if (!name) return undefined;
      tokens.push({ kind: 'system', text: `@@${name[1]}${name[3] ? `.${name[3]}` : ''}`.toLowerCase() });
      i += name[0].length;
    } else if (char === '@') {
      if (next === "'" || next === '"' || next === '`') {
        const end = quotedEnd(i + 1, next !== '`' && mode.backslashEscapes);
        if (end === -1) return undefined;
        tokens.push({ kind: 'variable', text: `@${body.slice(i + 2, end - 1)}`.toLowerCase() });
        i = end;
      } else {
        const name = /^@[\w$.]*/.exec(body.slice(i))![0];
        tokens.push({ kind: 'variable', text: name.toLowerCase() });
        i += name.length;
      }
    } else if (WORD_CHARACTER.test(char)) {
      let j = i + 1;
      while (j < body.length && WORD_CHARACTER.test(body[j])) j++;
      tokens.push({ kind: 'word', text: body.slice(i, j) });
      i = j;
    } else {
      tokens.push({ kind: 'punct', text: char });
      i++;
    }
  }
  return inVersionedComment ? undefined : tokens;
}

const isWord = (token: Token | undefined, ...words: string[]) => token?.kind === 'word' && words.includes(token.text.toUpperCase());
const isPunct = (token: Token | undefined, char: string) => token?.kind === 'punct' && token.text === char;
const isName = (token: Token | undefined) => token?.kind === 'word' || token?.kind === 'ident';
/** A local variable or parameter name, compared without case. */
const nameOf = (token: Token) => token.text.toLowerCase();

/** The index after the expression starting at `start`: the first `;`, or a depth-0 `,` when `atComma`, or one of `stops` at depth 0. */
function expressionEnd(tokens: readonly Token[], start: number, atComma: boolean, stops: readonly string[] = []): number {
  let depth = 0;
  let j = start;
  for (; j < tokens.length; j++) {
    const token = tokens[j];
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (isPunct(token, ';') || (atComma && isPunct(token, ',')) || isWord(token, ...stops))) break;
  }
  return j;
}

/** The index of the `)` matching the `(` at `open`, or -1. */
function closingParenthesis(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (isPunct(tokens[j], '(')) depth++;
    else if (isPunct(tokens[j], ')') && --depth === 0) return j;
  }
  return -1;
}

/** Splits at depth-0 separators (a comma, or `||` under PIPES_AS_CONCAT). */
function splitAt(tokens: readonly Token[], separator: 'comma' | 'pipes'): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (let j = 0; j < tokens.length; j++) {
    const token = tokens[j];
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    if (depth === 0 && separator === 'comma' && isPunct(token, ',')) parts.push([]);
    else if (depth === 0 && separator === 'pipes' && isPunct(token, '|') && isPunct(tokens[j + 1], '|')) {
      parts.push([]);
      j++;
    } else parts[parts.length - 1].push(token);
  }
  return parts;
}

/**
 * The parts of an expression that end up in its text unchanged: the expression itself, or each
 * argument of CONCAT / CONCAT_WS (and each operand of `||` under PIPES_AS_CONCAT), recursively,
 * without enclosing parentheses. QUOTE(p), REPLACE(p, ...) and the like are not such parts.
 */
function rawOperands(expression: readonly Token[], mode: LexMode): Token[][] {
  let tokens = expression;
  while (tokens.length >= 2 && isPunct(tokens[0], '(') && closingParenthesis(tokens, 0) === tokens.length - 1) tokens = tokens.slice(1, -1);
  if (isWord(tokens[0], 'CONCAT', 'CONCAT_WS') && isPunct(tokens[1], '(') && closingParenthesis(tokens, 1) === tokens.length - 1) {
    return splitAt(tokens.slice(2, -1), 'comma').flatMap((argument) => rawOperands(argument, mode));
  }
  if (mode.pipesAsConcat) {
    const operands = splitAt(tokens, 'pipes');
    if (operands.length > 1) return operands.flatMap((operand) => rawOperands(operand, mode));
  }
  return [[...tokens]];
}

/** The variable a one-token operand names: a local variable or parameter (lower case), or "@name". */
function variableOf(operand: readonly Token[]): string | undefined {
  if (operand.length !== 1) return undefined;
  const [token] = operand;
  if (token.kind === 'variable') return token.text;
  if (isName(token)) return nameOf(token);
  return undefined;
}

/** The assignments of the SET statement whose SET is at `set`: each target (with its scope word, if any) and where its value starts and ends. */
function setAssignments(tokens: readonly Token[], set: number): Array<{ scope?: string; target: Token; targetAt: number; start: number; end: number }> {
  const found: Array<{ scope?: string; target: Token; targetAt: number; start: number; end: number }> = [];
  let j = set + 1;
  while (j < tokens.length) {
    const scope = isWord(tokens[j], 'GLOBAL', 'SESSION', 'LOCAL', 'PERSIST', 'PERSIST_ONLY') ? tokens[j++].text.toUpperCase() : undefined;
    const target = tokens[j];
    const start = isPunct(tokens[j + 1], '=') ? j + 2 : isPunct(tokens[j + 1], ':') && isPunct(tokens[j + 2], '=') ? j + 3 : -1;
    if (!target || start === -1 || !(isName(target) || target.kind === 'variable' || target.kind === 'system')) break;
    const end = expressionEnd(tokens, start, true, ['WHERE', 'ORDER', 'LIMIT']);
    found.push({ ...(scope ? { scope } : {}), target, targetAt: j, start, end });
    if (!isPunct(tokens[end], ',')) break;
    j = end + 1;
  }
  return found;
}

interface Assignment {
  target: string;
  /** The variables whose text the assigned value holds unchanged; empty: none, or not known. */
  rawFrom: string[];
}

/** Every assignment to a variable the body makes: SET, DECLARE ... DEFAULT, SELECT/FETCH ... INTO, :=, and the arguments of a CALL (it may set OUT parameters). */
function assignments(tokens: readonly Token[], mode: LexMode, parameters: ReadonlySet<string>): Assignment[] {
  const found: Assignment[] = [];
  const inSet = new Set<number>();
  const rawFrom = (start: number, end: number) => rawOperands(tokens.slice(start, end), mode).flatMap((operand) => variableOf(operand) ?? []);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (isWord(token, 'SET')) {
      // SET a = x, @b := y, GLOBAL c = z; also UPDATE ... SET col = ...: a column taken for a variable only loses a finding.
      for (const { target, targetAt, start, end } of setAssignments(tokens, i)) {
        if (target.kind === 'system') continue;
        found.push({ target: target.kind === 'variable' ? target.text : nameOf(target), rawFrom: rawFrom(start, end) });
        inSet.add(targetAt);
      }
    } else if (isWord(token, 'DECLARE')) {
      const names: string[] = [];
      let j = i + 1;
      if (isWord(tokens[j], 'CONTINUE', 'EXIT', 'UNDO')) continue;
      while (isName(tokens[j])) {
        names.push(nameOf(tokens[j]));
        if (!isPunct(tokens[j + 1], ',')) break;
        j += 2;
      }
      if (isWord(tokens[j + 1], 'CURSOR', 'CONDITION')) continue;
      const end = expressionEnd(tokens, j + 1, false);
      const defaultAt = tokens.slice(j + 1, end).findIndex((candidate) => isWord(candidate, 'DEFAULT'));
      const from = defaultAt === -1 ? [] : rawFrom(j + 2 + defaultAt, end);
      // Without DEFAULT a local starts NULL (PREPARE FROM NULL fails), unless it hides a parameter of that name.
      for (const name of names) if (defaultAt !== -1 || parameters.has(name)) found.push({ target: name, rawFrom: from });
    } else if (isWord(token, 'INTO') && !isWord(tokens[i + 1], 'OUTFILE', 'DUMPFILE')) {
      for (let j = i + 1; j < tokens.length && (isName(tokens[j]) || tokens[j].kind === 'variable'); j += 2) {
        found.push({ target: tokens[j].kind === 'variable' ? tokens[j].text : nameOf(tokens[j]), rawFrom: [] });
        if (!isPunct(tokens[j + 1], ',')) break;
      }
    } else if (token.kind === 'variable' && isPunct(tokens[i + 1], ':') && isPunct(tokens[i + 2], '=') && !inSet.has(i)) {
      found.push({ target: token.text, rawFrom: [] });
    } else if (isWord(token, 'CALL')) {
      const end = expressionEnd(tokens, i + 1, false);
      for (const argument of tokens.slice(i + 1, end)) if (isName(argument) || argument.kind === 'variable') found.push({ target: argument.kind === 'variable' ? argument.text : nameOf(argument), rawFrom: [] });
    }
  }
  return found;
}

/**
 * The variables that hold their caller's text, each with the parameter or @variable it came from:
 * reached from an IN/INOUT parameter or an @variable through assignments that keep the text
 * unchanged (CONCAT included), and assigned nothing else anywhere in the body (a parameter cleaned
 * with QUOTE() first is not its caller's text any more).
 */
function callerTextVariables(tokens: readonly Token[], mode: LexMode, parameters: readonly RoutineParameter[]): Map<string, string> {
  const inputs = new Set(parameters.filter((parameter) => parameter.mode !== 'OUT' && parameter.textual).map((parameter) => parameter.name.toLowerCase()));
  const assigned = assignments(tokens, mode, new Set(parameters.map((parameter) => parameter.name.toLowerCase())));
  const origin = new Map<string, string>();
  for (const name of inputs) origin.set(name, name);
  // An @variable the body never sets holds what its caller's session left there.
  for (const token of tokens) if (token.kind === 'variable' && !assigned.some(({ target }) => target === token.text)) origin.set(token.text, token.text);
  // Reached: through an assignment from a variable already reached.
  for (let changed = true; changed; ) {
    changed = false;
    for (const { target, rawFrom } of assigned) {
      const from = rawFrom.find((name) => origin.has(name));
      if (from !== undefined && !origin.has(target)) {
        origin.set(target, origin.get(from)!);
        changed = true;
      }
    }
  }
  // Kept: every assignment to it keeps a kept variable's text.
  for (let changed = true; changed; ) {
    changed = false;
    for (const { target, rawFrom } of assigned) {
      if (origin.has(target) && !rawFrom.some((name) => origin.has(name))) {
        origin.delete(target);
        changed = true;
      }
    }
  }
  return origin;
}

/** Statements and references that reach an administrator's power, as [label, test at token i]. */
const ADMINISTRATIVE: ReadonlyArray<[string, (tokens: readonly Token[], i: number) => boolean]> = [
  ['GRANT', (t, i) => isWord(t[i], 'GRANT')],
  ['REVOKE', (t, i) => isWord(t[i], 'REVOKE')],
  ...['USER', 'ROLE', 'SERVER'].flatMap((object): Array<[string, (tokens: readonly Token[], i: number) => boolean]> => [
    [`CREATE ${object}`, (t, i) => isWord(t[i], 'CREATE') && (isWord(t[i + 1], object) || (isWord(t[i + 1], 'OR') && isWord(t[i + 2], 'REPLACE') && isWord(t[i + 3], object)))],
    [`ALTER / DROP / RENAME ${object}`, (t, i) => isWord(t[i], 'ALTER', 'DROP', 'RENAME') && isWord(t[i + 1], object)],
  ]),
  ['SET PASSWORD', (t, i) => isWord(t[i], 'SET') && isWord(t[i + 1], 'PASSWORD')],
  ['SET ROLE / DEFAULT ROLE', (t, i) => isWord(t[i], 'SET') && (isWord(t[i + 1], 'ROLE') || (isWord(t[i + 1], 'DEFAULT') && isWord(t[i + 2], 'ROLE')))],
  ['SET GLOBAL', (t, i) => isWord(t[i], 'SET') && setAssignments(t, i).some(({ scope, target }) => (scope !== undefined && scope.startsWith('PERSIST')) || scope === 'GLOBAL' || /^@@(global|persist|persist_only)\./.test(target.text))],
  ['a variable only an administrator may set', (t, i) => isWord(t[i], 'SET') && setAssignments(t, i).some(({ scope, target }) => target.kind !== 'variable' && RESTRICTED_VARIABLES.has(target.text.toLowerCase().replace(/^@@(session\.|local\.)?/, '')) && scope !== 'GLOBAL')],
  ['INSTALL / UNINSTALL PLUGIN', (t, i) => isWord(t[i], 'INSTALL', 'UNINSTALL') && isWord(t[i + 1], 'PLUGIN', 'SONAME')],
  ['LOAD DATA', (t, i) => isWord(t[i], 'LOAD') && isWord(t[i + 1], 'DATA', 'XML')],
  ['LOAD_FILE', (t, i) => isWord(t[i], 'LOAD_FILE')],
  ['INTO OUTFILE / DUMPFILE', (t, i) => isWord(t[i], 'OUTFILE', 'DUMPFILE')],
  ['SHUTDOWN', (t, i) => isWord(t[i], 'SHUTDOWN')],
  ['KILL', (t, i) => isWord(t[i], 'KILL')],
  ['FLUSH', (t, i) => isWord(t[i], 'FLUSH')],
  ['replication or binary log statements', (t, i) =>
    (isWord(t[i], 'CHANGE') && isWord(t[i + 1], 'MASTER', 'REPLICATION')) ||
    (isWord(t[i], 'START', 'STOP', 'RESET') && isWord(t[i + 1], 'SLAVE', 'REPLICA', 'ALL', 'MASTER', 'BINARY')) ||
    (isWord(t[i], 'PURGE') && isWord(t[i + 1], 'BINARY', 'MASTER')) ||
    (isWord(t[i], 'BINLOG') && t[i + 1]?.kind === 'string')],
  ['CALL', (t, i) => isWord(t[i], 'CALL')],
  ['the mysql system database', (t, i) => isName(t[i]) && t[i].text.toLowerCase() === 'mysql' && isPunct(t[i + 1], '.')],
];

/** Session variables whose setting asks for SUPER or more (binary logging, replication identity, debugging): set as the administrator, they stay set in the caller's session. */
const RESTRICTED_VARIABLES = new Set(['sql_log_bin', 'sql_log_off', 'binlog_format', 'pseudo_thread_id', 'pseudo_slave_mode', 'gtid_seq_no', 'gtid_domain_id', 'server_id', 'skip_replication', 'debug', 'debug_dbug', 'wsrep_on']);

/**
 * The routine body's finding. `parameters`: the routine's; `sqlMode`: the sql_mode kept with the
 * routine (its lexing depends on it); `database`: the routine's own, where its unqualified names
 * are looked up.
 */
export function analyseRoutineBody(body: string, parameters: readonly RoutineParameter[], sqlMode: string, database: string): BodyFinding {
  if (/(^|,)\s*ORACLE\s*(,|$)/i.test(sqlMode)) return { kind: 'unreadable', why: 'a body written under sql_mode ORACLE (PL/SQL syntax) is not analysed' };
  const mode = lexModeOf(sqlMode);
  const tokens = tokenize(body, mode);
  if (tokens === undefined) return { kind: 'unreadable', why: 'a string, quoted name or comment in its body does not end' };

  const callerText = callerTextVariables(tokens, mode, parameters);
  const fromCaller = (expressionStart: number, expressionEnd: number): CallerText | undefined => {
    for (const operand of rawOperands(tokens.slice(expressionStart, expressionEnd), mode)) {
      const variable = variableOf(operand);
      const origin = variable === undefined ? undefined : callerText.get(variable);
      if (origin !== undefined) return { kind: origin.startsWith('@') ? 'session-variable' : 'parameter', name: origin.startsWith('@') ? origin : (parameters.find((parameter) => parameter.name.toLowerCase() === origin)?.name ?? origin) };
    }
    return undefined;
  };
  const prepared = new Set<string>();
  for (let i = 0; i < tokens.length; i++) if (isWord(tokens[i], 'PREPARE') && isName(tokens[i + 1]) && isWord(tokens[i + 2], 'FROM')) prepared.add(nameOf(tokens[i + 1]));

  let dynamic = false;
  for (let i = 0; i < tokens.length; i++) {
    let caller: CallerText | undefined;
    if (isWord(tokens[i], 'PREPARE') && isName(tokens[i + 1]) && isWord(tokens[i + 2], 'FROM')) {
      dynamic = true;
      caller = fromCaller(i + 3, expressionEnd(tokens, i + 3, false));
    } else if (isWord(tokens[i], 'EXECUTE') && isWord(tokens[i + 1], 'IMMEDIATE')) {
      dynamic = true;
      caller = fromCaller(i + 2, expressionEnd(tokens, i + 2, false, ['USING']));
    } else if (isWord(tokens[i], 'EXECUTE') && isName(tokens[i + 1]) && (i + 2 >= tokens.length || isPunct(tokens[i + 2], ';') || isWord(tokens[i + 2], 'USING', 'END'))) {
      dynamic = true;
      // A prepared statement is the session's: one the body never PREPAREs is the one its caller prepared.
      if (!prepared.has(nameOf(tokens[i + 1]))) caller = { kind: 'prepared-statement', name: tokens[i + 1].text };
    }
    if (caller) return { kind: 'caller-statement', from: caller };
  }
  if (dynamic) return { kind: 'dynamic-sql' };

  const statements = new Set<string>(database.toLowerCase() === 'mysql' ? ['the mysql system database'] : []);
  const databases = new Set<string>();
  const calls = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    for (const [label, test] of ADMINISTRATIVE) if (test(tokens, i)) statements.add(label);
    const token = tokens[i];
    if (!isName(token) || isPunct(tokens[i - 1], '.')) continue;
    const qualified = isPunct(tokens[i + 1], '.') && isName(tokens[i + 2]);
    if (qualified && !/^\d+$/.test(token.text)) databases.add(token.text);
    if (qualified && isPunct(tokens[i + 3], '(')) calls.add(`${token.text}.${tokens[i + 2].text}`);
    else if (!qualified && isPunct(tokens[i + 1], '(')) calls.add(token.text);
  }
  return { kind: 'static', statements: [...statements], databases: [...databases], calls: [...calls] };
}

/** The parameters from mysql.proc's param_list ("IN statement TEXT, OUT n INT"; a function's have no mode); undefined when it cannot be lexed. */
export function parseParameterList(paramList: string, sqlMode: string): RoutineParameter[] | undefined {
  const tokens = tokenize(paramList, lexModeOf(sqlMode));
  if (tokens === undefined) return undefined;
  const parameters: RoutineParameter[] = [];
  for (const part of splitAt(tokens, 'comma')) {
    if (part.length === 0) continue;
    const moded = isWord(part[0], 'IN', 'OUT', 'INOUT');
    const name = part[moded ? 1 : 0];
    if (!isName(name)) return undefined;
    const type = part[moded ? 2 : 1];
    parameters.push({ name: name.text, mode: moded ? (part[0].text.toUpperCase() as RoutineParameter['mode']) : 'IN', textual: type?.kind === 'word' && isTextualType(type.text) });
  }
  return parameters;
}
