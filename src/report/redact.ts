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
  const clean = maskSecrets(text, secretPatterns().plain);
  // Only text with a URL in it is searched for credentials: on long runs of letters (base64, minified code) the pattern backtracks at every start.
  return clean.includes('://') ? clean.replace(URL_CREDENTIALS, `$1:${REDACTED}@`) : clean;
}

interface SecretPatterns {
  version: number;
  /** Any known secret, the longest first where several start at one position. */
  plain?: RegExp;
}

let cached: SecretPatterns | undefined;

const escapeForRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function patternOf(forms: Iterable<string>): RegExp | undefined {
  const unique = [...new Set(forms)].sort((a, b) => b.length - a.length);
  return unique.length > 0 ? new RegExp(unique.map(escapeForRegExp).join('|'), 'g') : undefined;
}

/**
 * One pattern for all secrets, rebuilt only when the store changed: a run over two hundred targets
 * knows hundreds of secrets, and searching for each one in turn made redaction most of a run's CPU.
 */
function secretPatterns(): SecretPatterns {
  const version = secretsVersion();
  if (cached?.version === version) return cached;
  const secrets = knownSecrets().filter((secret) => secret.length >= MIN_REDACTED_SECRET_LENGTH);
  cached = {
    version,
    plain: patternOf(secrets),
  };
  return cached;
}

/**
 * Replaces every stretch of text that some secret covers with one REDACTED. Overlapping secrets
 * are merged into one stretch first: replacing one and then looking for the other would leave the
 * part of the second that the first did not cover.
 */
function maskSecrets(text: string, pattern: RegExp | undefined): string {
  if (!pattern || text.length < MIN_REDACTED_SECRET_LENGTH) return text;
  let clean = '';
  let copiedUpTo = 0;
  let stretchStart = -1;
  let stretchEnd = -1;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    // The next search starts one character on, not after the match: a secret may start inside this one.
    pattern.lastIndex = start + 1;
    if (start < stretchEnd) {
      stretchEnd = Math.max(stretchEnd, end);
      continue;
    }
    if (stretchEnd >= 0) {
      clean += text.slice(copiedUpTo, stretchStart) + REDACTED;
      copiedUpTo = stretchEnd;
    }
    stretchStart = start;
    stretchEnd = end;
  }
  if (stretchEnd < 0) return text;
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
