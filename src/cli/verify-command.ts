import { stat } from 'node:fs/promises';
import { ConfigError } from '../targets/config-error.js';
import { loadVerificationKey } from '../evidence/signing-key.js';
import { verificationText, verifyRun } from '../evidence/verify-run.js';

export interface VerifyFlags {
  key?: string;
}

/** `dbcomply verify DIR [--key PUBLIC_KEY]`: one line per file and one for the signature; true when all hold. */
export async function verifyCommand(dir: string, flags: VerifyFlags, say: (line: string) => void): Promise<boolean> {
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) throw new ConfigError('verify', `${dir} is not a directory`);
  const key = flags.key ? await loadVerificationKey(flags.key) : undefined;
  const { lines, verified } = await verifyRun(dir, key);
  lines.forEach((line) => say(verificationText(line)));
  const problems = lines.filter((line) => !['ok', 'not-checked'].includes(line.status)).length;
  say(verified ? `verified: ${lines.filter((line) => line.status === 'ok').length} checks passed${key ? '' : ' (signature not checked: no --key)'}` : `NOT VERIFIED: ${problems} problem(s)`);
  return verified;
}
