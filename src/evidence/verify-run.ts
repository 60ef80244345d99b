import { posix } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { HASHING_CONCURRENCY, mapWithLimit } from './file-digests.js';
import { entriesUnder, type DirectoryEntry } from './directory-entries.js';
import { isNotRegular, RunDirectory } from './regular-file.js';
import { ENVELOPE_FILE, IN_TOTO_STATEMENT_TYPE, MANIFEST_FILE, MANIFEST_FILES, RUN_PREDICATE_TYPE, type RunStatement } from './manifest.js';
import { envelopeFormProblem, envelopeSignedBy, IN_TOTO_PAYLOAD_TYPE, type DsseEnvelope } from './dsse.js';
import { keyIdOf } from './signing-key.js';
import { printable } from '../util/printable.js';

export type CheckStatus = 'ok' | 'changed' | 'missing' | 'unlisted' | 'invalid' | 'unsigned' | 'not-checked';

export interface VerificationLine {
  status: CheckStatus;
  subject: string;
  detail?: string;
}

export interface Verification {
  lines: VerificationLine[];
  /** True only when every listed file matches, no file is unlisted, and the signature (when a key was given) verifies. */
  verified: boolean;
  /** Whether the envelope carries a signature at all, checked or not (false for an unsigned or unreadable run). */
  signed: boolean;
  /** The manifest as it was checked (absent when it could not be read): whoever uses the files after this must hold them to it. */
  statement?: RunStatement;
}

const FAILING: ReadonlySet<CheckStatus> = new Set(['changed', 'missing', 'unlisted', 'invalid', 'unsigned']);

function parseStatement(bytes: Buffer): RunStatement {
  const statement = JSON.parse(bytes.toString('utf8')) as RunStatement;
  if (statement._type !== IN_TOTO_STATEMENT_TYPE || statement.predicateType !== RUN_PREDICATE_TYPE || !Array.isArray(statement.subject)) {
    throw new Error(`not a dbcomply run statement (_type ${String(statement._type)}, predicateType ${String(statement.predicateType)})`);
  }
  return statement;
}

/** The envelope's line, and whether it carries a signature at all (checked or not). */
async function signatureLine(run: RunDirectory, manifestBytes: Buffer, key: KeyObject | undefined): Promise<{ line: VerificationLine; signed: boolean }> {
  const unsigned = (line: Omit<VerificationLine, 'subject'>) => ({ line: { ...line, subject: ENVELOPE_FILE }, signed: false });
  const raw = await run.read(ENVELOPE_FILE);
  if (isNotRegular(raw) && raw.problem === 'not-regular') return unsigned({ status: 'invalid', detail: raw.detail });
  if (isNotRegular(raw)) return unsigned({ status: key ? 'unsigned' : 'not-checked', detail: 'missing: the run has no envelope, so nothing vouches for who wrote it' });
  let envelope: DsseEnvelope;
  try {
    envelope = JSON.parse(raw.toString('utf8')) as DsseEnvelope;
  } catch {
    return unsigned({ status: 'invalid', detail: 'not JSON' });
  }
  const formProblem = envelopeFormProblem(envelope);
  if (formProblem) return unsigned({ status: 'invalid', detail: `${formProblem} (changed after signing)` });
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) return unsigned({ status: 'invalid', detail: `payloadType is ${String(envelope.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}` });
  if (!Buffer.from(envelope.payload, 'base64').equals(manifestBytes)) {
    return unsigned({ status: 'invalid', detail: `its payload is not the content of ${MANIFEST_FILE} (one of the two was changed)` });
  }
  const { signatures } = envelope;
  if (signatures.length === 0) {
    return key
      ? unsigned({ status: 'unsigned', detail: 'the run was not signed (no --signing-key), so the key cannot vouch for it' })
      : unsigned({ status: 'not-checked', detail: 'unsigned run: the hashes show the files are as the manifest lists them, not who wrote them' });
  }
  const signed = (line: Omit<VerificationLine, 'subject'>) => ({ line: { ...line, subject: ENVELOPE_FILE }, signed: true });
  // A run is signed once; a second signature, even a copy of the first, was added to the envelope later.
  if (signatures.length > 1) return signed({ status: 'invalid', detail: `${signatures.length} signatures; a dbcomply run carries one, so the envelope was changed after signing` });
  const [signature] = signatures;
  if (!key) return signed({ status: 'not-checked', detail: `carries a signature whose keyid claims key ${signature.keyid?.slice(0, 16) ?? '(none)'}; neither is checked without --key PUBLIC_KEY` });
  const keyId = keyIdOf(key);
  if (!envelopeSignedBy(envelope, key)) return signed({ status: 'invalid', detail: `no signature verifies with key ${keyId.slice(0, 16)}` });
  if (signature.keyid !== undefined && signature.keyid !== keyId) {
    return signed({ status: 'invalid', detail: `the signature verifies with key ${keyId.slice(0, 16)}, but its keyid names another key: the envelope was changed after signing` });
  }
  return signed({ status: 'ok', detail: `signature verifies with key ${keyId.slice(0, 16)}` });
}

/**
 * What the directory holds beyond the manifest: files it does not list (half-written `.partial`
 * files included), and anything a run never writes: symbolic links (listed or not, a link is
 * reported here only when the manifest does not name it, else its own line says so), special files,
 * and empty directories, whose names alone can tell an auditor something.
 */
function unlistedEntries(entries: DirectoryEntry[], listed: ReadonlySet<string>): VerificationLine[] {
  const withContent = new Set(entries.map((entry) => posix.dirname(entry.path)));
  const lines: VerificationLine[] = [];
  for (const { path, kind } of entries) {
    if (MANIFEST_FILES.has(path) || listed.has(path)) continue;
    if (kind === 'file') lines.push({ status: 'unlisted', subject: path, detail: 'not in the manifest (added after the run)' });
    else if (kind === 'directory') {
      if (!withContent.has(path)) lines.push({ status: 'unlisted', subject: path, detail: 'an empty directory the run did not write' });
    } else lines.push({ status: 'unlisted', subject: path, detail: `a ${kind}, which a run never writes` });
  }
  return lines;
}

/**
 * Checks a run's output directory against its manifest: every listed file present with its
 * SHA-256, no output file the manifest does not list, the envelope carrying exactly the manifest,
 * and, with a public key, its signature over the DSSE pre-authentication encoding.
 */
export async function verifyRun(dir: string, key?: KeyObject): Promise<Verification> {
  const lines: VerificationLine[] = [];
  const run = new RunDirectory(dir);
  const manifestBytes = await run.read(MANIFEST_FILE);
  if (isNotRegular(manifestBytes)) {
    const line: VerificationLine = manifestBytes.problem === 'missing'
      ? { status: 'missing', subject: MANIFEST_FILE, detail: 'no manifest: this directory cannot be verified' }
      : { status: 'invalid', subject: MANIFEST_FILE, detail: manifestBytes.detail };
    return { lines: [line], verified: false, signed: false };
  }
  let statement: RunStatement;
  try {
    statement = parseStatement(manifestBytes);
  } catch (error) {
    return { lines: [{ status: 'invalid', subject: MANIFEST_FILE, detail: (error as Error).message }], verified: false, signed: false };
  }
  // A manifest names files inside the run's directory only; anything else is not what a run writes.
  const outside = statement.subject.filter(({ name }) => typeof name !== 'string' || name.startsWith('/') || name.split('/').includes('..'));
  if (outside.length > 0) return { lines: [{ status: 'invalid', subject: MANIFEST_FILE, detail: `lists files outside the directory: ${outside.map(({ name }) => String(name)).join(', ')}` }], verified: false, signed: false };
  // Names as filesUnder writes them: relative, '/'-separated, no empty, '.' or '..' segment, each once.
  // Another spelling ('./a', 'a//b') or a second entry for one file is not what a run writes.
  const malformed = statement.subject.filter(({ name }) => name.split('/').some((segment) => segment === '' || segment === '.'));
  if (malformed.length > 0) return { lines: [{ status: 'invalid', subject: MANIFEST_FILE, detail: `lists names no run writes: ${malformed.map(({ name }) => JSON.stringify(name)).join(', ')}` }], verified: false, signed: false };
  const listed = new Set(statement.subject.map((subject) => subject.name));
  if (listed.size !== statement.subject.length) {
    const twice = statement.subject.map(({ name }) => name).filter((name, index, names) => names.indexOf(name) !== index);
    return { lines: [{ status: 'invalid', subject: MANIFEST_FILE, detail: `lists a file more than once: ${[...new Set(twice)].join(', ')}` }], verified: false, signed: false };
  }
  const actuals = await mapWithLimit(statement.subject, HASHING_CONCURRENCY, ({ name }) => run.sha256(name));
  for (const [index, { name, digest }] of statement.subject.entries()) {
    const actual = actuals[index];
    if (isNotRegular(actual)) lines.push({ status: actual.problem === 'missing' ? 'missing' : 'changed', subject: name, ...(actual.detail ? { detail: actual.detail } : {}) });
    else if (actual !== digest?.sha256) lines.push({ status: 'changed', subject: name, detail: `sha256 ${actual.slice(0, 16)}..., manifest says ${String(digest?.sha256).slice(0, 16)}...` });
    else lines.push({ status: 'ok', subject: name });
  }
  lines.push(...unlistedEntries(await entriesUnder(dir), listed));
  const signature = await signatureLine(run, manifestBytes, key);
  lines.push(signature.line);
  return { lines, verified: lines.every((line) => !FAILING.has(line.status)), signed: signature.signed, statement };
}

/** One line per check; names and details can come from whoever wrote the directory, so they are made printable. */
export function verificationText(line: VerificationLine): string {
  return `${line.status.toUpperCase().padEnd(11)} ${printable(line.subject)}${line.detail ? `  ${printable(line.detail)}` : ''}`;
}
