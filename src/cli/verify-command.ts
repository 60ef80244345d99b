import { stat } from 'node:fs/promises';
import { ConfigError } from '../targets/config-error.js';
import { loadVerificationKey } from '../evidence/signing-key.js';
import { verificationText, verifyRun } from '../evidence/verify-run.js';

export interface VerifyFlags {
  key?: string;
  /** Accept a run on its hashes alone: says the files match the manifest, not who wrote the manifest. */
  hashesOnly?: boolean;
}

/** Why a run checked without a key does not count as verified unless --hashes-only says the hashes alone are wanted. */
function authenticityNotChecked(signed: boolean): string {
  return signed
    ? 'signature present but not checked; give --key PUBLIC_KEY (or --hashes-only to accept the hashes alone, without authenticity)'
    : 'the run is unsigned, so nothing vouches for who wrote the manifest; give --hashes-only to accept the hashes alone, without authenticity';
}

/**
 * `dbcomply verify DIR [--key PUBLIC_KEY | --hashes-only]`: one line per file and one for the
 * signature; true when all hold. Fail closed for an auditor: without --key a run verifies only
 * when --hashes-only asks for the hashes alone, and the last line then says authenticity was not checked.
 */
export async function verifyCommand(dir: string, flags: VerifyFlags, say: (line: string) => void): Promise<boolean> {
  if (flags.key && flags.hashesOnly) throw new ConfigError('--hashes-only', 'cannot be combined with --key: with a key the signature is checked');
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) throw new ConfigError('verify', `${dir} is not a directory`);
  const key = flags.key ? await loadVerificationKey(flags.key) : undefined;
  const { lines, verified, signed } = await verifyRun(dir, key);
  lines.forEach((line) => say(verificationText(line)));
  const problems = lines.filter((line) => !['ok', 'not-checked'].includes(line.status)).length;
  const matching = lines.filter((line) => line.status === 'ok').length;
  if (!verified) {
    say(`NOT VERIFIED: ${problems} problem(s)`);
    return false;
  }
  if (key) {
    say(`verified: ${matching} checks passed, the signature among them`);
    return true;
  }
  if (!flags.hashesOnly) {
    say(`NOT VERIFIED: ${authenticityNotChecked(signed)}`);
    return false;
  }
  say(`hashes verified: ${matching} files match the manifest; AUTHENTICITY NOT CHECKED (--hashes-only): whoever could change the files could have rewritten the manifest too`);
  return true;
}
