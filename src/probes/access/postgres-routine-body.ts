/**
 * What a PostgreSQL routine's body does, read from its text without running it: whether PL/pgSQL's
 * EXECUTE runs text its caller wrote, whether it runs dynamic SQL at all, and which functions from a
 * list it names. Used on SECURITY DEFINER routines owned by a superuser, where text the caller
 * wrote runs as the superuser. The analysis only ever narrows "not analysed" down to "runs the
 * caller's text"; nothing here makes a routine safe, so a lexing it cannot finish (an unterminated
 * literal or comment) says so and the routine stays unanalysed. The body never leaves this file:
 * it may hold a password (a dblink connection string).
 */

/** One input parameter: $position, its name if it has one, and whether its type holds text a statement can be written in. */
export interface RoutineParameter {
  position: number;
  name?: string;
  textual: boolean;
}

/** Types whose value is free text (format_type's names); citext may be schema-qualified. */
export function isTextualType(type: string): boolean {
  return ['text', 'character varying', 'character', 'name'].includes(type) || /(^|\.)citext$/.test(type);
}

/**
 * The body with comments removed and the contents of string literals and quoted identifiers
 * replaced by spaces and underscores (their quotes kept, so lengths and positions stay), or
 * undefined when a literal or comment does not end. Standard SQL strings ('it''s'), escape strings
 * (E'\''), dollar quotes ($$...$$, $tag$...$tag$; $1 is a parameter, not a quote).
 */
export function codeOnly(body: string): string | undefined {
  let out = '';
  let i = 0;
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  while (i < body.length) {
    const rest = body.slice(i);
    if (rest.startsWith('--')) {
      const end = body.indexOf('\n', i);
      const stop = end === -1 ? body.length : end;
      out += blank(body.slice(i, stop));
      i = stop;
      continue;
    }
    if (rest.startsWith('/*')) {
      // Block comments nest in PostgreSQL.
      let depth = 0;
      let j = i;
      for (; j < body.length; j++) {
        if (body.startsWith('/*', j)) {
          depth++;
          j++;
        } else if (body.startsWith('*/', j)) {
          depth--;
          j++;
          if (depth === 0) break;
        }
      }
      if (depth !== 0) return undefined;
      out += blank(body.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    const previous = i > 0 ? body[i - 1] : '';
    const escapeString = (body[i] === 'E' || body[i] === 'e') && body[i + 1] === "'" && !/[\w$]/.test(previous);
    if (body[i] === "'" || escapeString) {
      const open = escapeString ? i + 1 : i;
      let j = open + 1;
      for (; j < body.length; j++) {
        if (escapeString && body[j] === '\\') {
          j++;
        } else if (body[j] === "'") {
          if (body[j + 1] === "'") j++;
          else break;
        }
      }
      if (j >= body.length) return undefined;
      out += body.slice(i, open + 1) + blank(body.slice(open + 1, j)) + "'";
      i = j + 1;
      continue;
    }
    if (body[i] === '"') {
      let j = i + 1;
      for (; j < body.length; j++) {
        if (body[j] === '"') {
          if (body[j + 1] === '"') j++;
          else break;
        }
      }
      if (j >= body.length) return undefined;
      out += `"${body.slice(i + 1, j).replace(/[^\n]/g, '_')}"`;
      i = j + 1;
      continue;
    }
    // A dollar quote opens with $tag$ (tag: letters, digits, underscores, not starting with a digit), never inside a name (a$b).
    const tag = body[i] === '$' && !/[\w$]/.test(previous) ? /^\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(rest) : null;
    if (tag) {
      const close = body.indexOf(tag[0], i + tag[0].length);
      if (close === -1) return undefined;
      out += tag[0] + blank(body.slice(i + tag[0].length, close)) + tag[0];
      i = close + tag[0].length;
      continue;
    }
    out += body[i];
    i++;
  }
  return out;
}

/** Where PL/pgSQL's EXECUTE (also RETURN QUERY EXECUTE, FOR ... IN EXECUTE, OPEN ... FOR EXECUTE) ends its command expression, besides `;`. */
const EXPRESSION_END = /^(using|into|loop)\b/i;

/** The command expressions of every EXECUTE in `code`, each up to its `;`, USING, INTO or LOOP at parenthesis depth 0. */
function executeExpressions(code: string): string[] {
  const expressions: string[] = [];
  for (const match of code.matchAll(/\bexecute\b/gi)) {
    let depth = 0;
    let j = match.index + match[0].length;
    const start = j;
    for (; j < code.length; j++) {
      const char = code[j];
      if (char === '(' || char === '[') depth++;
      else if (char === ')' || char === ']') depth--;
      else if (depth === 0 && (char === ';' || (/[uilUIL]/.test(char) && !/[\w$]/.test(code[j - 1]) && EXPRESSION_END.test(code.slice(j))))) break;
    }
    expressions.push(code.slice(start, j));
  }
  return expressions;
}

/** The operands of `||` at parenthesis depth 0, trimmed, each without a trailing cast (::text) or the parentheses around it. */
function concatenated(expression: string): string[] {
  const operands: string[] = [];
  let depth = 0;
  let start = 0;
  for (let j = 0; j < expression.length; j++) {
    const char = expression[j];
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (depth === 0 && expression.startsWith('||', j)) {
      operands.push(expression.slice(start, j));
      start = j + 2;
      j++;
    }
  }
  operands.push(expression.slice(start));
  return operands.map((operand) => {
    let text = operand.trim().replace(/\s*::\s*[\w\s."]+$/, '').trim();
    while (enclosed(text)) text = text.slice(1, -1).trim().replace(/\s*::\s*[\w\s."]+$/, '').trim();
    return text;
  });
}

/** Whether `text` is one parenthesised whole: "($1)", not "(a) + (b)". */
function enclosed(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  for (let j = 0; j < text.length; j++) {
    if (text[j] === '(') depth++;
    else if (text[j] === ')') depth--;
    if (depth === 0 && j < text.length - 1) return false;
  }
  return true;
}

export type BodyFinding =
  /** PL/pgSQL EXECUTE runs a command whose text is, or is joined from, a parameter as the caller gave it (or a trigger argument). */
  | { kind: 'caller-statement'; parameter: string }
  /** EXECUTE runs dynamic SQL whose text could not be traced to the caller (constants, quoted or rebuilt values, variables). */
  | { kind: 'dynamic-sql' }
  /** No EXECUTE: only the statements written in the body. */
  | { kind: 'static-sql' }
  /** A literal or comment does not end: not analysed. */
  | { kind: 'unreadable' };

/**
 * What a PL/pgSQL or SQL body does with EXECUTE. `parameters` are the routine's input parameters;
 * `trigger`: a trigger function, whose TG_ARGV the creator of each trigger writes. A parameter the
 * body assigns to (`name :=`) may have been cleaned first and is not the caller's text any more.
 */
export function analyseBody(body: string, parameters: readonly RoutineParameter[], trigger = false): BodyFinding {
  const code = codeOnly(body);
  if (code === undefined) return { kind: 'unreadable' };
  const expressions = executeExpressions(code);
  if (expressions.length === 0) return { kind: 'static-sql' };
  const reassigned = (name: string) => new RegExp(`(^|[^\\w$.])${name}\\s*:?=(?!=)`, 'i').test(code);
  const callerText = (operand: string): string | undefined => {
    if (trigger && /^tg_argv\s*\[\s*\d+\s*\]$/i.test(operand)) return operand.replace(/\s+/g, '');
    const positional = /^\$(\d+)$/.exec(operand);
    const parameter = positional
      ? parameters.find((candidate) => candidate.position === Number(positional[1]))
      : parameters.find((candidate) => candidate.name !== undefined && /^[a-z_][\w$]*$/i.test(candidate.name) && candidate.name.toLowerCase() === operand.toLowerCase());
    if (!parameter?.textual) return undefined;
    if (parameter.name !== undefined && reassigned(parameter.name.replaceAll('$', '\\$'))) return undefined;
    if (reassigned(`\\$${parameter.position}`)) return undefined;
    return positional ? `$${parameter.position}` : parameter.name;
  };
  for (const expression of expressions) {
    for (const operand of concatenated(expression)) {
      const parameter = callerText(operand);
      if (parameter !== undefined) return { kind: 'caller-statement', parameter };
    }
  }
  return { kind: 'dynamic-sql' };
}

/** Which of `names` the body calls (name followed by "(", schema-qualified or not), outside comments and literals; undefined when it cannot be lexed. */
export function namedCalls(body: string, names: readonly string[]): string[] | undefined {
  const code = codeOnly(body);
  if (code === undefined) return undefined;
  return names.filter((name) => new RegExp(`(^|[^\\w$])(\\w+\\s*\\.\\s*)?${name}\\s*\\(`, 'i').test(code));
}

/** pg_catalog functions that run a query string or reach the server's files or settings: as the superuser, the caller's choice of them is the superuser's power. */
export const SUPERUSER_STEERABLE_CALLS = [
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'ts_stat',
  'ts_rewrite',
  'lo_import',
  'lo_export',
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'pg_file_write',
  'pg_file_rename',
  'pg_file_unlink',
  'set_config',
];

/**
 * What a superuser's SECURITY DEFINER routine's body was found to do (never the body: it may hold a
 * password). caller-statement and dynamic-sql: PL/pgSQL EXECUTE (analyseBody); bound-to-catalog: a
 * BEGIN ATOMIC SQL body depending on pg_catalog only, calling none of SUPERUSER_STEERABLE_CALLS;
 * static-sql: any other SQL or PL/pgSQL body without EXECUTE; other: another language, or a body
 * that could not be lexed.
 */
export interface RoutineBodyKind {
  body: 'caller-statement' | 'dynamic-sql' | 'bound-to-catalog' | 'static-sql' | 'other';
  /** caller-statement: the parameter ($1, its name, TG_ARGV[n]) whose text EXECUTE runs. */
  parameter?: string;
  /** SUPERUSER_STEERABLE_CALLS its body calls. */
  calls: string[];
}

/** A routine as pg_proc has it, with its body: what routineBodyKind reads. */
export interface RoutineWithBody {
  language: string;
  /** prosrc. */
  source: string | null;
  /** 14+: a BEGIN ATOMIC body (pg_get_function_sqlbody), else null. */
  atomic_body: string | null;
  argument_names: string[] | null;
  argument_modes: string[] | null;
  input_types: string[];
  /** format_type of its return type: 'trigger' for a trigger function, whose TG_ARGV its trigger's creator writes. */
  returns: string;
  /** A BEGIN ATOMIC body depends on something outside pg_catalog (pg_depend). */
  outside_catalog: boolean;
}

/** What the body does, from its language and text; the body itself stays here. */
export function routineBodyKind(row: RoutineWithBody): RoutineBodyKind {
  const body = row.atomic_body ?? row.source ?? '';
  const calls = namedCalls(body, SUPERUSER_STEERABLE_CALLS);
  if (calls === undefined) return { body: 'other', calls: [] };
  if (row.atomic_body !== null) return { body: row.outside_catalog || calls.length > 0 ? 'static-sql' : 'bound-to-catalog', calls };
  if (row.language !== 'plpgsql' && row.language !== 'sql') return { body: 'other', calls };
  const finding = analyseBody(row.source ?? '', inputParameters(row), row.returns === 'trigger');
  if (finding.kind === 'unreadable') return { body: 'other', calls };
  // A LANGUAGE sql EXECUTE runs a statement the caller PREPAREd in its own session: dynamic too.
  if (finding.kind === 'caller-statement') return row.language === 'plpgsql' ? { body: 'caller-statement', parameter: finding.parameter, calls } : { body: 'dynamic-sql', calls };
  return { body: finding.kind, calls };
}

/** The input parameters ($1, $2 ...): IN, INOUT and VARIADIC arguments, in order, with their names and whether they hold free text. */
function inputParameters(row: Pick<RoutineWithBody, 'argument_names' | 'argument_modes' | 'input_types'>): RoutineParameter[] {
  const modes = row.argument_modes ?? row.input_types.map(() => 'i');
  const names = row.argument_names ?? [];
  const inputs = modes.flatMap((mode, index) => (['i', 'b', 'v'].includes(mode) ? [index] : []));
  return inputs.map((index, position) => ({
    position: position + 1,
    ...(names[index] ? { name: names[index] } : {}),
    textual: isTextualType(row.input_types[position] ?? ''),
  }));
}
