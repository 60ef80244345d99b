import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ResultsDocument, TargetResult } from '../report/results-document.js';
import type { Verdict } from '../controls/verdict.js';
import { CATALOGUE, findControl } from '../controls/catalogue.js';
import type { Engine } from '../targets/target.js';
import { writeFileAtomically } from '../report/atomic-write.js';
import { redactDeep } from '../report/redact.js';
import { filesUnder, sha256OfOwnOutput } from './file-digests.js';
import { MANIFEST_FILES } from './manifest.js';

export const OSCAL_FILE = 'oscal-assessment-results.json';
export const OSCAL_VERSION = '1.1.2';
/** Our own property names live in our namespace, as OSCAL asks of extensions. */
const NS = 'https://dbcomply.dev/ns/oscal';

type Method = 'EXAMINE' | 'TEST';

/**
 * Data-plane controls decided by reading what the server states about itself (accounts, grants,
 * settings, tablespace lists, pg_stat_archiver) rather than by making it do something: EXAMINE.
 * Every plane control (Azure Resource Manager, Key Vault: configuration, never behaviour) is
 * EXAMINE too, through the catalogue's `plane` flag.
 */
const EXAMINED: ReadonlySet<string> = new Set([
  'access.app-not-superuser',
  'access.least-privilege',
  'access.public-schema',
  'access.no-wildcard-hosts',
  'auth.strong-plugin',
  'audit.connections-logged',
  'audit.audit-extension',
  'backup.pitr-ready',
  'rest.tablespaces-encrypted',
]);

/**
 * On MySQL/MariaDB these are decided by both: the catalog (account rows with an empty password or
 * user name, require_secure_transport) and logins that test what it says. On PostgreSQL they are
 * probes alone (the login-path matrix).
 */
const EXAMINED_AND_TESTED_ON_MYSQL: ReadonlySet<string> = new Set(['auth.no-passwordless', 'auth.no-anonymous', 'transport.tls-required']);

/** On every engine: access.time-bound weighs the roles' expiry (catalog) with how the login-path matrix lets them in. */
const EXAMINED_AND_TESTED: ReadonlySet<string> = new Set(['access.time-bound']);

/**
 * How a control is decided on an engine: EXAMINE for what the server or Azure states (catalog,
 * settings, the control plane), TEST for what the harness makes it do (handshakes, logins,
 * restores, connections from vantage points), both when the judge weighs the two.
 */
export function methodsOf(controlId: string, engine: Engine): Method[] {
  if (findControl(controlId)?.plane || EXAMINED.has(controlId)) return ['EXAMINE'];
  if (EXAMINED_AND_TESTED.has(controlId) || (engine === 'mysql' && EXAMINED_AND_TESTED_ON_MYSQL.has(controlId))) return ['EXAMINE', 'TEST'];
  return ['TEST'];
}

/**
 * OSCAL has two finding states. Undecided is not-satisfied (never a pass), told apart by the
 * reason; a skipped control is not assessed here, so it has an observation and no finding.
 */
function findingStatus(verdict: Verdict): { state: 'satisfied' | 'not-satisfied'; reason: string } | undefined {
  if (verdict === 'passed') return { state: 'satisfied', reason: 'pass' };
  if (verdict === 'failed') return { state: 'not-satisfied', reason: 'fail' };
  if (verdict === 'undecided') return { state: 'not-satisfied', reason: 'undecided' };
  return undefined;
}

const nonEmpty = (text: string | undefined, fallback: string) => (text && text.trim() ? text.trim() : fallback);

interface EvidenceFile {
  uuid: string;
  href: string;
  sha256?: string;
}

async function evidenceFiles(outDir: string, target: TargetResult): Promise<EvidenceFile[]> {
  return Promise.all(
    [target.reports.html, target.reports.messages, target.reports.junit].map(async (href) => ({
      uuid: randomUUID(),
      href,
      sha256: await sha256OfOwnOutput(join(outDir, href)).catch(() => undefined),
    })),
  );
}

/**
 * The run as an OSCAL assessment-results document: one result, the tool as a component, each
 * target as an inventory item, one observation per target and control (method TEST or EXAMINE,
 * with the target's Cucumber report as relevant evidence), and one finding per target and
 * decided-or-undecided control, its target-id the catalogue's control id.
 */
export async function oscalAssessmentResults(outDir: string, input: ResultsDocument): Promise<object> {
  const document = redactDeep(input);
  const tool = randomUUID();
  const spec = randomUUID();
  const observations: object[] = [];
  const findings: object[] = [];
  const inventory: object[] = [];
  const resources: object[] = [];
  const controlIds = new Set<string>();
  for (const target of document.targets) {
    const item = randomUUID();
    inventory.push({
      uuid: item,
      description: `${target.engine} server ${target.name} at ${target.endpoint}${target.server.version ? `, version ${target.server.version}` : ''}`,
      props: [
        { name: 'asset-id', value: target.name },
        { name: 'profile', ns: NS, value: target.profile },
        ...(target.server.certificateSha256 ? [{ name: 'certificate-sha256', ns: NS, value: target.server.certificateSha256 }] : []),
      ],
    });
    const files = await evidenceFiles(outDir, target);
    for (const file of files) resources.push({ uuid: file.uuid, title: `${target.name}: ${file.href}`, rlinks: [{ href: file.href, ...(file.sha256 ? { hashes: [{ algorithm: 'SHA-256', value: file.sha256 }] } : {}) }] });
    // Per-control times are not recorded; every observation was collected during the run that started then.
    const collected = document.startedAt;
    // A target that could not be assessed at all (its run threw, or an interrupt came first) has no
    // verdicts; OSCAL has no "not assessed", and a document silent on it reads as nothing wrong.
    // Every control of its engine is undecided, for that one stated cause.
    const decided: Array<[string, Verdict, string | undefined]> = target.error
      ? CATALOGUE.filter((control) => control.engines.includes(target.engine)).map((control) => [control.id, 'undecided', `not assessed: ${target.error}`])
      : Object.entries(target.controls).map(([id, verdict]) => [id, verdict, target.reasons[id]]);
    for (const [id, verdict, reason] of decided) {
      controlIds.add(id);
      const observation = randomUUID();
      const control = findControl(id);
      observations.push({
        uuid: observation,
        title: `${id} on ${target.name}`,
        description: nonEmpty(reason, verdict),
        props: [
          { name: 'verdict', ns: NS, value: verdict },
          ...(control?.mcsb ? [{ name: 'mcsb-control', ns: NS, value: control.mcsb }] : []),
        ],
        methods: methodsOf(id, target.engine),
        origins: [{ actors: [{ type: 'tool', 'actor-uuid': tool }] }],
        subjects: [{ 'subject-uuid': item, type: 'inventory-item', title: target.name }],
        'relevant-evidence': [{ href: `#${files[0].uuid}`, description: `the scenarios of ${id} in ${target.name}'s Cucumber report, with the evidence of each probe attached` }],
        collected,
      });
      const status = findingStatus(verdict);
      if (status) {
        findings.push({
          uuid: randomUUID(),
          title: `${id} ${verdict} on ${target.name}`,
          description: nonEmpty(control?.passesWhen ? `passes when ${control.passesWhen}` : undefined, id),
          target: {
            type: 'objective-id',
            'target-id': id,
            status: { ...status, remarks: nonEmpty(reason, verdict) },
          },
          'related-observations': [{ 'observation-uuid': observation }],
        });
      }
    }
  }
  // The run's own files beside the targets' (results.json, results.csv, junit.xml, report.html, a
  // discovered fleet): the verdicts an auditor reads first are evidence too, and the document names
  // each with its hash. Only the manifest, written after, and this document itself are not listed.
  const named = new Set(resources.flatMap((resource) => (resource as { rlinks: Array<{ href: string }> }).rlinks.map((link) => link.href)));
  const runFiles = (await filesUnder(outDir, new Set([...MANIFEST_FILES, OSCAL_FILE]))).filter((file) => !named.has(file));
  for (const file of runFiles) {
    resources.push({ uuid: randomUUID(), title: `run output: ${file}`, rlinks: [{ href: file, hashes: [{ algorithm: 'SHA-256', value: await sha256OfOwnOutput(join(outDir, file)) }] }] });
  }
  const result = {
    uuid: randomUUID(),
    title: `dbcomply run of ${document.startedAt}`,
    description: `${document.targets.length} database servers assessed against the dbcomply control catalogue${document.complete ? '' : ' (INCOMPLETE run)'}`,
    start: document.startedAt,
    ...(document.finishedAt ? { end: document.finishedAt } : {}),
    'local-definitions': {
      components: [{ uuid: tool, type: 'software', title: 'dbcomply', description: `dbcomply ${document.tool.version}, the compliance harness that made every observation`, status: { state: 'operational' } }],
      ...(inventory.length > 0 ? { 'inventory-items': inventory } : {}),
    },
    'reviewed-controls': { 'control-selections': [controlIds.size > 0 ? { 'include-controls': [...controlIds].sort().map((id) => ({ 'control-id': id })) } : { 'include-all': {} }] },
    ...(observations.length > 0 ? { observations } : {}),
    ...(findings.length > 0 ? { findings } : {}),
  };
  return {
    'assessment-results': {
      uuid: randomUUID(),
      metadata: { title: 'dbcomply assessment results', 'last-modified': document.finishedAt || new Date().toISOString(), version: document.tool.version, 'oscal-version': OSCAL_VERSION },
      'import-ap': { href: `#${spec}`, remarks: 'dbcomply has no separate assessment plan: the plan is its executable spec and control catalogue, named in back-matter.' },
      results: [result],
      'back-matter': { resources: [{ uuid: spec, title: `dbcomply ${document.tool.version} control catalogue and Gherkin spec`, description: 'the controls, what makes each pass, and the scenarios that decide them' }, ...resources] },
    },
  };
}

export async function writeOscalAssessmentResults(outDir: string, document: ResultsDocument): Promise<string> {
  const path = join(outDir, OSCAL_FILE);
  await writeFileAtomically(path, JSON.stringify(await oscalAssessmentResults(outDir, document), null, 2) + '\n');
  return path;
}
