import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ConfigError } from '../targets/config-error.js';
import { keyIdOf } from '../evidence/signing-key.js';
import { verifyRun } from '../evidence/verify-run.js';
import { MANIFEST_FILE } from '../evidence/manifest.js';
import { loadPreviousResults } from '../report/compare-runs.js';
import type { ResultsDocument } from '../report/results-document.js';

/**
 * The previous run --compare measures against. With --fail-on new it decides which failures count,
 * so an edited baseline (tonight's failures marked as failing last night too) would turn a failing
 * run into a pass. A run directory is verified as `dbcomply verify` would: its hashes always, its
 * signature when a key is given; a bare results.json, or a directory without a manifest, can only
 * be taken unchecked, and never when a key was given to check it.
 */
export async function loadComparisonBaseline(source: string, key: KeyObject | undefined, say: (line: string) => void): Promise<ResultsDocument> {
  const found = await stat(source).catch(() => undefined);
  const hasManifest = found?.isDirectory() && (await stat(join(source, MANIFEST_FILE)).catch(() => undefined)) !== undefined;
  if (!hasManifest) {
    if (found && key) throw new ConfigError('--compare', `${source} has no ${MANIFEST_FILE} to check with the key; give the previous run's output directory`);
    const document = await loadPreviousResults(source);
    say(`dbcomply: --compare baseline ${source}: no manifest, so neither its content nor its authenticity was checked`);
    return document;
  }
  const { lines, verified, statement } = await verifyRun(source, key);
  if (!verified) {
    const problems = lines.filter((line) => !['ok', 'not-checked'].includes(line.status)).map((line) => `${line.status} ${line.subject}`);
    throw new ConfigError('--compare', `${source} does not verify against its manifest (${problems.join('; ')})`);
  }
  const digest = statement!.subject.find(({ name }) => name === 'results.json')?.digest.sha256;
  if (digest === undefined) throw new ConfigError('--compare', `${source}: its manifest lists no results.json`);
  const document = await loadPreviousResults(source, digest);
  say(key
    ? `dbcomply: --compare baseline ${source}: verified, its signature with key ${keyIdOf(key).slice(0, 16)}`
    : `dbcomply: --compare baseline ${source}: its hashes match its manifest, but its authenticity was not checked (give --compare-key PUBLIC_KEY)`);
  return document;
}
