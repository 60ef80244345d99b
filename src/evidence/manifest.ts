import { hostname } from 'node:os';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { ResultsDocument } from '../report/results-document.js';
import { writeFileAtomically } from '../report/atomic-write.js';
import { redactDeep } from '../report/redact.js';
import { filesUnder, HASHING_CONCURRENCY, mapWithLimit, sha256OfOwnOutput } from './file-digests.js';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope, unsignedEnvelope } from './dsse.js';
import { signatureAlgorithmOf, keyIdOf } from './signing-key.js';
import { harnessClockOffset, type HarnessClockOffset } from './harness-clock.js';
import type { ServerClockOffset } from '../probes/audit/server-clock-offset.js';

export const MANIFEST_FILE = 'manifest.json';
export const ENVELOPE_FILE = 'manifest.dsse.json';
export const MANIFEST_FILES: ReadonlySet<string> = new Set([MANIFEST_FILE, ENVELOPE_FILE]);

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const RUN_PREDICATE_TYPE = 'https://dbcomply.dev/run-manifest/v1';

export interface TargetFingerprint {
  name: string;
  engine: string;
  endpoint: string;
  profile: string;
  serverVersion?: string;
  certificateSha256?: string;
  /** The server's clock minus the harness's, from audit.clock-sync, when that control ran. */
  serverClockOffset?: ServerClockOffset;
}

export interface ShardHarnessClock {
  shard: string;
  host?: string;
  harnessClockOffset: HarnessClockOffset;
}

/** How a merged shard was checked: its signature with the given key, or its hashes alone (--hashes-only). */
export interface ShardAuthenticity {
  shard: string;
  checked: 'signature' | 'hashes-only';
  detail: string;
}

export interface RunPredicate {
  tool: { name: 'dbcomply'; version: string; gitRevision?: string };
  /** One profile when every target was held to the same; else each target's is in `targets`. */
  profile: string;
  startedAt: string;
  finishedAt: string;
  complete: boolean;
  operator?: string;
  host: string;
  /** Harness clock minus the OS's time source, or 'unknown' with what each source said. */
  harnessClockOffset: HarnessClockOffset;
  /** A merged run: each shard's harness clock, which is the one that measured its targets. */
  shardHarnessClockOffsets?: ShardHarnessClock[];
  /** A merged run: how each shard was checked before it was merged. */
  shardAuthenticity?: ShardAuthenticity[];
  configFingerprint?: string;
  targets: TargetFingerprint[];
}

/** An in-toto Statement v1: every output file is a subject with its SHA-256; the predicate says how they came to be. */
export interface RunStatement {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: typeof RUN_PREDICATE_TYPE;
  predicate: RunPredicate;
}

export interface ManifestContext {
  operator?: string;
  /** A promise, so `git rev-parse` runs beside the assessment instead of before it. */
  gitRevision?: string | Promise<string | undefined>;
  /** A promise too: the OS's time services are asked beside the assessment, each bounded. */
  harnessClockOffset?: HarnessClockOffset | Promise<HarnessClockOffset>;
  shardHarnessClockOffsets?: ShardHarnessClock[];
  shardAuthenticity?: ShardAuthenticity[];
  signingKey?: KeyObject;
}

/** --operator, else DBCOMPLY_OPERATOR, else the login name the job runs as. */
export function operatorName(flag: string | undefined, environment: NodeJS.ProcessEnv = process.env): string | undefined {
  return flag || environment.DBCOMPLY_OPERATOR || environment.USER || environment.USERNAME || undefined;
}

export function runProfile(document: ResultsDocument): string {
  const profiles = [...new Set(document.targets.map((target) => target.profile))].sort();
  return profiles.length === 1 ? profiles[0] : profiles.length === 0 ? 'none' : 'mixed';
}

export function fingerprintsOf(document: ResultsDocument): TargetFingerprint[] {
  return document.targets.map((target) => ({
    name: target.name,
    engine: target.engine,
    endpoint: target.endpoint,
    profile: target.profile,
    ...(target.server.version ? { serverVersion: target.server.version } : {}),
    ...(target.server.certificateSha256 ? { certificateSha256: target.server.certificateSha256 } : {}),
    ...(target.server.clockOffset ? { serverClockOffset: target.server.clockOffset } : {}),
  }));
}

/**
 * Written last: hashes every file the run left in `outDir`, then writes manifest.json (the in-toto
 * Statement, readable as it is) and manifest.dsse.json, the DSSE envelope whose payload is exactly
 * the bytes of manifest.json, signed when a key was given and with no signature otherwise.
 */
export async function writeManifest(outDir: string, document: ResultsDocument, context: ManifestContext): Promise<RunStatement> {
  const revision = await context.gitRevision;
  const clock = (await context.harnessClockOffset) ?? (await harnessClockOffset());
  const files = await filesUnder(outDir, MANIFEST_FILES);
  const subject = await mapWithLimit(files, HASHING_CONCURRENCY, async (name) => ({ name, digest: { sha256: await sha256OfOwnOutput(join(outDir, name)) } }));
  const statement: RunStatement = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject,
    predicateType: RUN_PREDICATE_TYPE,
    predicate: redactDeep({
      tool: { name: 'dbcomply', version: document.tool.version, ...(revision ? { gitRevision: revision } : {}) },
      profile: runProfile(document),
      startedAt: document.startedAt,
      finishedAt: document.finishedAt,
      complete: document.complete,
      ...(context.operator ? { operator: context.operator } : {}),
      host: hostname(),
      harnessClockOffset: clock,
      ...(context.shardHarnessClockOffsets ? { shardHarnessClockOffsets: context.shardHarnessClockOffsets } : {}),
      ...(context.shardAuthenticity ? { shardAuthenticity: context.shardAuthenticity } : {}),
      ...(document.configFingerprint ? { configFingerprint: document.configFingerprint } : {}),
      targets: fingerprintsOf(document),
    }),
  };
  const payload = Buffer.from(JSON.stringify(statement, null, 2) + '\n');
  const envelope = context.signingKey ? signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, context.signingKey) : unsignedEnvelope(IN_TOTO_PAYLOAD_TYPE, payload);
  await writeFileAtomically(join(outDir, MANIFEST_FILE), payload.toString('utf8'));
  await writeFileAtomically(join(outDir, ENVELOPE_FILE), JSON.stringify(envelope, null, 2) + '\n');
  return statement;
}

export function describeSigningKey(key: KeyObject): string {
  return `${signatureAlgorithmOf(key)} key ${keyIdOf(key).slice(0, 16)}`;
}
