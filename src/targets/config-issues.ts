import type { z } from 'zod';
import { ConfigError } from './config-error.js';

type Path = readonly PropertyKey[];

/**
 * The field of a config-file issue as the user reads it: `config.timeout` for a top-level key,
 * `targets[2].auditor.passwordEnv` inside a target, and the file itself for the whole document.
 */
export function configField(path: Path, file: string): string {
  if (path.length === 0) return file;
  const [head, ...rest] = path;
  let field = head === 'targets' && typeof rest[0] === 'number' ? `targets[${String(rest.shift())}]` : `config.${String(head)}`;
  for (const part of rest) field += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return field;
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => path[index] === part);
}

/**
 * One ConfigError for a failed parse, the one a reader fixes first: the first issue in document
 * order, unless the mapping that holds it (or one around it) has a key that does not belong there,
 * which is said first (a misspelt or secret key explains the rest, as before the schema).
 */
export function configErrorFromIssues(issues: readonly z.core.$ZodIssue[], file: string): ConfigError {
  const [first] = issues;
  const unknownKey = issues
    .filter((issue): issue is z.core.$ZodIssueUnrecognizedKeys => issue.code === 'unrecognized_keys')
    .filter((issue) => startsWith(first.path, issue.path))
    .sort((a, b) => a.path.length - b.path.length)[0];
  const chosen = withinUnion(unknownKey ?? first);
  const path = chosen.code === 'unrecognized_keys' ? [...chosen.path, chosen.keys[0]] : chosen.path;
  return new ConfigError(configField(path, file), chosen.message);
}

/**
 * A value that fits none of a union's forms: when it has the outer type of exactly one form (a
 * list, where a string or a list is accepted), what is wrong inside it is the precise issue.
 */
function withinUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const inside = issue.errors.filter((branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0));
  if (inside.length !== 1) return issue;
  const [inner] = inside[0];
  return withinUnion({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
}
