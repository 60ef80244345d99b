import { readFile, writeFile } from 'node:fs/promises';
import { knownSecrets } from '../targets/secret-store.js';

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
  return replaceSecrets(text, (secret) => [secret]).replace(URL_CREDENTIALS, `$1:${REDACTED}@`);
}

function replaceSecrets(text: string, formsOf: (secret: string) => string[]): string {
  let clean = text;
  const secrets = knownSecrets().filter((secret) => secret.length >= MIN_REDACTED_SECRET_LENGTH);
  for (const form of secrets.flatMap(formsOf).sort((a, b) => b.length - a.length)) {
    clean = clean.split(form).join(REDACTED);
  }
  return clean;
}

/**
 * A last pass over a file another library wrote (Cucumber's HTML, JUnit and message stream), for
 * anything that reached it without passing the gate: a secret as it is, or escaped inside JSON.
 */
export async function redactFile(path: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const clean = replaceSecrets(text, (secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  if (clean !== text) await writeFile(path, clean);
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
