/**
 * `dbcomply merge` of N shard directories of M targets each, timed as a whole process (Node start,
 * verifying every shard's manifest, merging, writing the matrix, JUnit, OSCAL and manifest).
 *
 * The inputs are made cheaply but from a real run: one `dbcomply run --demo --shard 1/1` (real
 * PostgreSQL and MariaDB servers, hardened and legacy, and the Azure stand-in's plane targets; every
 * scenario) gives real per-target reports; each target's reports are then copied under new fleet
 * names (the old name rewritten inside its report, JUnit and messages) until every shard holds M
 * targets whose names hash to it, and each shard gets its results.json, overview, JUnit, OSCAL and
 * manifest written by the same functions a run uses, so merge verifies and accepts them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { shardOfName } from '../src/runner/shard.js';
import { writeResults } from '../src/runner/run-all.js';
import { writeMergedJunit } from '../src/report/junit-merge.js';
import { writeOverviewHtml } from '../src/report/overview-html.js';
import { writeOscalAssessmentResults } from '../src/evidence/oscal-assessment-results.js';
import { writeManifest } from '../src/evidence/manifest.js';
import type { ResultsDocument, TargetResult } from '../src/report/results-document.js';
import { formatMb, formatMs, formatTable, median } from './format.js';
import { dbcomply, GNU_TIME } from './cli-process.js';

export interface MergeShape {
  shards: number;
  targetsPerShard: number;
}

async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** Fleet names `fleet-<k>-<source>`, taken in order of k while their shard still has room. */
function fleetNames(sources: TargetResult[], shape: MergeShape): Array<{ name: string; source: TargetResult; shard: number }> {
  const fill = new Array<number>(shape.shards + 1).fill(0);
  const fleet: Array<{ name: string; source: TargetResult; shard: number }> = [];
  for (let k = 1; fleet.length < shape.shards * shape.targetsPerShard; k++) {
    const source = sources[k % sources.length];
    const name = `fleet-${k}-${source.name}`;
    const shard = shardOfName(name, shape.shards);
    if (fill[shard] < shape.targetsPerShard) {
      fill[shard]++;
      fleet.push({ name, source, shard });
    }
  }
  return fleet;
}

/** A source target's reports under a new name, the name rewritten wherever its files carry it. */
async function replicate(sourceDir: string, source: TargetResult, name: string, shardDir: string): Promise<TargetResult> {
  await mkdir(join(shardDir, name), { recursive: true });
  for (const file of await readdir(join(sourceDir, source.name))) {
    const text = await readFile(join(sourceDir, source.name, file), 'utf8');
    await writeFile(join(shardDir, name, file), text.replaceAll(source.name, name));
  }
  return { ...source, name, reports: { html: join(name, 'report.html'), junit: join(name, 'junit.xml'), messages: join(name, 'messages.ndjson') } };
}

async function buildShards(sourceDir: string, workDir: string, shape: MergeShape): Promise<string[]> {
  const source = JSON.parse(await readFile(join(sourceDir, 'results.json'), 'utf8')) as ResultsDocument;
  const fleet = fleetNames(source.targets, shape);
  const plannedTargets = fleet.map((entry) => entry.name);
  // Every shard of one run shares the fingerprint of the whole fleet; this one is over the fleet's names.
  const configFingerprint = createHash('sha256').update(`bench merge fleet\n${plannedTargets.join('\n')}`).digest('hex');
  const dirs: string[] = [];
  for (let index = 1; index <= shape.shards; index++) {
    const dir = join(workDir, `merge-shard-${index}`);
    await mkdir(dir, { recursive: true });
    const targets: TargetResult[] = [];
    for (const entry of fleet.filter((candidate) => candidate.shard === index)) targets.push(await replicate(sourceDir, entry.source, entry.name, dir));
    const document: ResultsDocument = { ...source, configFingerprint, shard: { index, count: shape.shards, plannedTargets }, targets };
    await writeResults(dir, document);
    await writeMergedJunit(dir, document);
    await writeOverviewHtml(dir, document);
    await writeOscalAssessmentResults(dir, document);
    await writeManifest(dir, document, { operator: 'bench' });
    dirs.push(dir);
  }
  return dirs;
}

async function sizeOf(dirs: string[]): Promise<{ files: number; bytes: number }> {
  const files = (await Promise.all(dirs.map(filesOf))).flat();
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  return { files: files.length, bytes: sizes.reduce((sum, size) => sum + size, 0) };
}

export async function benchMerge(shape: MergeShape, rounds: number, workDir: string): Promise<void> {
  const total = shape.shards * shape.targetsPerShard;
  console.log(`\n## Merge: dbcomply merge of ${shape.shards} shards x ${shape.targetsPerShard} targets, as a whole process`);
  const sourceDir = join(workDir, 'merge-source');
  const real = await dbcomply(['run', '--demo', '--shard', '1/1', '--no-progress', '--out', sourceDir]);
  if (real.code !== 0 && real.code !== 1) throw new Error(`the source run exited ${real.code}: ${real.stderr.slice(-2000)}`);
  const source = JSON.parse(await readFile(join(sourceDir, 'results.json'), 'utf8')) as ResultsDocument;
  const built = performance.now();
  const dirs = await buildShards(sourceDir, workDir, shape);
  const inputs = await sizeOf(dirs);
  console.log(
    `Inputs: one real \`dbcomply run --demo --shard 1/1\` (every scenario; ${formatMs(real.wallMs)}) over ${source.targets.length} targets ` +
      `(${source.targets.map((target) => target.name).join(', ')}); each target's reports copied under new names ` +
      `(fleet-<k>-<source>, the name rewritten inside its files) until each of the ${shape.shards} shards holds ${shape.targetsPerShard} targets ` +
      `whose names hash to it (${total} in all), then each shard's results.json, overview, JUnit, OSCAL and manifest written by the run's own functions ` +
      `(${formatMs(performance.now() - built)}). Input: ${inputs.files} files, ${formatMb(inputs.bytes)}.\n` +
      `Each row: \`node bin/dbcomply.js merge <${shape.shards} dirs> --out DIR --hashes-only\` in a fresh process (verifies every shard's hashes, merges, writes the reports and manifest); ` +
      (existsSync(GNU_TIME) ? 'peak RSS is the kernel\'s maxRSS of that process from /usr/bin/time -v.' : 'no /usr/bin/time here, so no RSS figure.'),
  );
  const rows: string[][] = [];
  const walls: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const out = join(workDir, `merged-${round}`);
    const merged = await dbcomply(['merge', ...dirs, '--out', out, '--hashes-only']);
    if (merged.code !== 0 && merged.code !== 1) throw new Error(`merge exited ${merged.code}: ${merged.stderr.slice(-2000)}`);
    const mergedTargets = (JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as ResultsDocument).targets.length;
    const verified = await dbcomply(['verify', out, '--hashes-only']);
    walls.push(merged.wallMs);
    rows.push([String(round), formatMs(merged.wallMs), merged.cpuMs !== undefined ? formatMs(merged.cpuMs) : 'n/a', merged.maxRssBytes !== undefined ? formatMb(merged.maxRssBytes) : 'n/a', `${mergedTargets}/${total}`, `exit ${merged.code}`, verified.code === 0 ? 'yes' : `NO (exit ${verified.code})`]);
  }
  console.log(`\n${formatTable(['round', 'wall (process)', 'CPU user+sys', 'peak RSS', 'targets merged', 'merge status', 'output verifies (--hashes-only)'], rows)}`);
  console.log(`median wall ${formatMs(median(walls))} for ${total} targets (${formatMs(median(walls) / total)} per target)`);
}
