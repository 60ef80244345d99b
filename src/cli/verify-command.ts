import { stat } from 'node:fs/promises';
import { requireKeyOutside } from './key-outside.js';
import { ConfigError } from '../targets/config-error.js';
import { readVerificationKey } from '../evidence/signing-key.js';
import { verificationText, verifyRun } from '../evidence/verify-run.js';
import type { RunStatement } from '../evidence/manifest.js';
import { printable } from '../util/printable.js';

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

const NAMED_TARGETS = 10;

/**
 * Which run the manifest describes. The same key signs every run, so a whole directory replaced by
 * another signed run (last month's, or one of fewer targets) verifies: only these facts tell the
 * auditor it is not the run they meant to check.
 */
export function runIdentity(statement: RunStatement, label = 'run'): string {
  // Read defensively: a manifest from an older dbcomply, or an unsigned one, may lack any of these.
  const predicate = (statement.predicate ?? {}) as Partial<RunStatement['predicate']>;
  const names = Array.isArray(predicate.targets) ? predicate.targets.map((target) => String(target?.name)) : [];
  const targets = `${names.length} target${names.length === 1 ? '' : 's'}${names.length ? ` (${names.slice(0, NAMED_TARGETS).join(', ')}${names.length > NAMED_TARGETS ? `, and ${names.length - NAMED_TARGETS} more` : ''})` : ''}`;
  const revision = typeof predicate.tool?.gitRevision === 'string' ? ` (${predicate.tool.gitRevision.slice(0, 12)})` : '';
  const shards = Array.isArray(predicate.shardAuthenticity) ? predicate.shardAuthenticity : undefined;
  const merged = shards ? `, merged from ${shards.length} shards checked by ${[...new Set(shards.map((shard) => String(shard?.checked)))].join(' and ')}` : '';
  return printable(
    `${label}: started ${String(predicate.startedAt)}, finished ${String(predicate.finishedAt)}${predicate.complete === true ? '' : ' (INCOMPLETE)'}, by ${predicate.operator ?? 'an unnamed operator'} on ${String(predicate.host)}, dbcomply ${String(predicate.tool?.version)}${revision}, profile ${String(predicate.profile)}, ${targets}${merged}`,
  );
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
  await requireKeyOutside('--key', flags.key, [dir]);
  const loaded = flags.key ? await readVerificationKey(flags.key) : undefined;
  const key = loaded?.key;
  if (loaded?.fromPrivateKey) say(`note: ${flags.key} holds a PRIVATE key; its public half was used. An auditor needs only the public key, and whoever holds this file can sign runs`);
  const { lines, verified, signed, statement } = await verifyRun(dir, key);
  lines.forEach((line) => say(verificationText(line)));
  const problems = lines.filter((line) => !['ok', 'not-checked'].includes(line.status)).length;
  const matching = lines.filter((line) => line.status === 'ok').length;
  if (!verified) {
    say(`NOT VERIFIED: ${problems} problem(s)`);
    return false;
  }
  if (key) {
    say(runIdentity(statement!));
    say(`verified: ${matching} checks passed, the signature among them`);
    return true;
  }
  if (!flags.hashesOnly) {
    say(`NOT VERIFIED: ${authenticityNotChecked(signed)}`);
    return false;
  }
  say(runIdentity(statement!, 'run as its UNAUTHENTICATED manifest says'));
  say(`hashes verified: ${matching} files match the manifest; AUTHENTICITY NOT CHECKED (--hashes-only): whoever could change the files could have rewritten the manifest too`);
  return true;
}
