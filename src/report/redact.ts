import { knownSecrets } from '../targets/secret-store.js';

export const REDACTED = '[redacted]';

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@\s/]*@/gi;
const KEY_VALUE_SECRET = /\b(password|passwd|pwd|token|secret|access_token)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,'"}]+)/gi;

/**
 * The one gate every byte of output passes: evidence, error messages, logs, the summary. It removes
 * every secret the run knows about, plus anything shaped like a credential in a URL or key=value.
 */
export function redact(text: string): string {
  let clean = text;
  for (const secret of knownSecrets().sort((a, b) => b.length - a.length)) {
    clean = clean.split(secret).join(REDACTED);
  }
  return clean.replace(URL_CREDENTIALS, `$1:${REDACTED}@`).replace(KEY_VALUE_SECRET, `$1$2${REDACTED}`);
}
