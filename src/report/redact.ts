import { knownSecrets, secretsVersion } from '../targets/secret-store.js';

export const REDACTED = '[redacted]';

/**
 * Shorter secrets are not searched for: replacing "a" or "db" everywhere would wreck the output
 * and, by the pattern of the damage, reveal the secret. They are kept out of output by construction.
 */
export const MIN_REDACTED_SECRET_LENGTH = 6;

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@\s/]*@/gi;

/**
 * The one gate every byte of output passes: evidence, reasons, error messages, logs, the summary.
 * It removes every secret the run knows about and the password part of any URL.
 */
export function redact(text: string): string {
  const clean = maskSecrets(text, secretSearch());
  // Only text with a URL in it is searched for credentials: on long runs of letters (base64, minified code) the pattern backtracks at every start.
  return clean.includes('://') ? clean.replace(URL_CREDENTIALS, `$1:${REDACTED}@`) : clean;
}

/**
 * Secrets up to this length are searched for with one pattern; longer ones (tokens, a kilobyte or
 * two each) one by one with indexOf, which is fast for a long needle and keeps the pattern small:
 * a pattern holding hundreds of tokens was slow to build and slow to run.
 */
const LONGEST_IN_PATTERN = 64;

interface SecretSearch {
  version: number;
  /** The secrets the pattern was built from, to rebuild it only when they change. */
  patternKey: string;
  /** Any known short secret, the longest first where several start at one position. */
  pattern?: RegExp;
  long: string[];
}

let cached: SecretSearch | undefined;

const escapeForRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What redaction searches for, made again only when the store changed, and the pattern only when
 * its short secrets did (a run remembers tokens as it goes; each would otherwise rebuild it).
 */
function secretSearch(): SecretSearch {
  const version = secretsVersion();
  if (cached?.version === version) return cached;
  const secrets = [...new Set(knownSecrets().filter((secret) => secret.length >= MIN_REDACTED_SECRET_LENGTH))];
  const short = secrets.filter((secret) => secret.length <= LONGEST_IN_PATTERN).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const patternKey = short.join('\u0000');
  const pattern = cached?.patternKey === patternKey ? cached.pattern : short.length > 0 ? new RegExp(short.map(escapeForRegExp).join('|'), 'g') : undefined;
  cached = { version, patternKey, pattern, long: secrets.filter((secret) => secret.length > LONGEST_IN_PATTERN) };
  return cached;
}

/** Every stretch [start, end) of `text` that some secret covers, in no particular order. */
function coveredStretches(text: string, search: SecretSearch): Array<[number, number]> {
  const stretches: Array<[number, number]> = [];
  const { pattern } = search;
  if (pattern) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      stretches.push([match.index, match.index + match[0].length]);
      // The next search starts one character on, not after the match: a secret may start inside this one.
      pattern.lastIndex = match.index + 1;
    }
  }
  for (const secret of search.long) {
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) stretches.push([at, at + secret.length]);
  }
  return stretches;
}

/**
 * Replaces every stretch of text that some secret covers with one REDACTED. Overlapping secrets
 * are merged into one stretch first: replacing one and then looking for the other would leave the
 * part of the second that the first did not cover.
 */
function maskSecrets(text: string, search: SecretSearch): string {
  if (text.length < MIN_REDACTED_SECRET_LENGTH) return text;
  const stretches = coveredStretches(text, search);
  if (stretches.length === 0) return text;
  stretches.sort((a, b) => a[0] - b[0]);
  let clean = '';
  let copiedUpTo = 0;
  let [stretchStart, stretchEnd] = stretches[0];
  for (const [start, end] of stretches.slice(1)) {
    if (start < stretchEnd) {
      stretchEnd = Math.max(stretchEnd, end);
      continue;
    }
    clean += text.slice(copiedUpTo, stretchStart) + REDACTED;
    copiedUpTo = stretchEnd;
    [stretchStart, stretchEnd] = [start, end];
  }
  return clean + text.slice(copiedUpTo, stretchStart) + REDACTED + text.slice(stretchEnd);
}

/** Redacts every string inside structured data before it is serialised, so JSON stays valid. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item)])) as T;
  }
  return value;
}
