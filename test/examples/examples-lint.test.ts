/**
 * The examples must run as written: the GitHub Actions workflow passes GitHub's own workflow parser
 * (@actions/workflow-parser, the schema Actions itself uses) and our field rules; the Kubernetes
 * manifests pass field rules for the Job and Pod fields they use (no Kubernetes JSON schema ships
 * on npm; the allow-lists below are taken from the batch/v1 Job and core/v1 PodSpec API, only
 * for the fields an example may use, so a typo or an invented field fails).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { register } from 'node:module';
import { PACKAGE_ROOT } from '../../src/runner/spec-paths.js';

register(new URL('../support/json-import-hook.js', import.meta.url));
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import('@actions/workflow-parser');

const WORKFLOW = join(PACKAGE_ROOT, 'examples', 'github-actions', 'dbcomply-nightly.yml');
const JOBS = join(PACKAGE_ROOT, 'examples', 'kubernetes', 'dbcomply-nightly.yaml');

/** Published actions, by name and major version: the examples use nothing else. */
const PUBLISHED_ACTIONS = new Set(['actions/checkout@v4', 'actions/setup-node@v4', 'actions/upload-artifact@v4', 'actions/download-artifact@v4', 'mikepenz/action-junit-report@v4']);
/** Published images, by name and an exact tag (never latest). */
const PUBLISHED_IMAGES = new Set(['node:22-bookworm-slim', 'alpine/git:2.47.2']);

async function workflowErrors(path: string): Promise<string[]> {
  const content = await readFile(path, 'utf8');
  const result = parseWorkflow({ name: 'dbcomply-nightly.yml', content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((error) => error.message);
  if (errors.length === 0 && result.value) {
    const template = await convertWorkflowTemplate(result.context, result.value);
    errors.push(...(template.errors ?? []).map((error) => error.Message));
  }
  return errors;
}

test('the GitHub Actions workflow passes GitHub\'s workflow parser, which catches a wrong field', async () => {
  assert.deepEqual(await workflowErrors(WORKFLOW), []);
  const { writeFile, mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const broken = join(await mkdtemp(join(tmpdir(), 'dbcomply-workflow-')), 'broken.yml');
  await writeFile(broken, (await readFile(WORKFLOW, 'utf8')).replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest'));
  assert.notDeepEqual(await workflowErrors(broken), [], 'the parser is not a rubber stamp');
});

test('the workflow: shards matrix, merge after every shard, artifacts, JUnit to checks, previous night as --compare', async () => {
  const workflow = parse(await readFile(WORKFLOW, 'utf8'));
  const { assess, merge } = workflow.jobs;
  const shards: number[] = assess.strategy.matrix.shard;
  assert.deepEqual(shards, Array.from({ length: shards.length }, (_, index) => index + 1));
  assert.equal(assess.strategy['fail-fast'], false, 'one failing shard must not cancel the others');
  const assessRun = assess.steps.map((step: { run?: string }) => step.run ?? '').join('\n');
  assert.match(assessRun, new RegExp(`--shard \\$\\{\\{ matrix\\.shard \\}\\}/${shards.length}\\b`));
  assert.equal(merge.needs, 'assess');
  assert.equal(merge.if, 'always()', 'the merge runs even when a shard job failed, and refuses a missing shard itself');
  const mergeRun = merge.steps.map((step: { run?: string }) => step.run ?? '').join('\n');
  for (const shard of shards) assert.match(mergeRun, new RegExp(`shards/dbcomply-shard-${shard}\\b`));
  assert.match(mergeRun, /--compare previous --fail-on new/);
  assert.match(mergeRun, /dbcomply merge [^\n]*\\\n[^\n]*--key \S+/, "the merge checks the shards' signatures");
  assert.match(mergeRun, /gh run download "\$previous" .*--name dbcomply-report/);
  const uses = [...assess.steps, ...merge.steps].map((step: { uses?: string }) => step.uses).filter(Boolean);
  for (const action of uses) assert.ok(PUBLISHED_ACTIONS.has(action!), `${action} is a published action at a major version`);
  const junit = merge.steps.find((step: { uses?: string }) => step.uses?.startsWith('mikepenz/action-junit-report'));
  assert.equal(junit.with.report_paths, 'report/junit.xml');
  assert.equal(workflow.permissions.checks, 'write');
  const uploads = merge.steps.filter((step: { uses?: string }) => step.uses?.startsWith('actions/upload-artifact'));
  assert.equal(uploads[0].with.name, 'dbcomply-report', 'the artifact the next night downloads');
  assert.doesNotMatch(await readFile(WORKFLOW, 'utf8'), /echo "\$DBCOMPLY_SIGNING_KEY"|cat .*signing\.pem/, 'the key is never printed');
});

const JOB_SPEC = new Set(['completionMode', 'completions', 'parallelism', 'backoffLimit', 'backoffLimitPerIndex', 'maxFailedIndexes', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'template', 'podFailurePolicy', 'suspend', 'selector', 'manualSelector']);
const POD_SPEC = new Set(['restartPolicy', 'securityContext', 'initContainers', 'containers', 'volumes', 'serviceAccountName', 'nodeSelector', 'tolerations', 'affinity', 'imagePullSecrets', 'automountServiceAccountToken']);
const CONTAINER = new Set(['name', 'image', 'command', 'args', 'workingDir', 'env', 'envFrom', 'resources', 'volumeMounts', 'securityContext', 'imagePullPolicy']);
const VOLUME_SOURCES = new Set(['emptyDir', 'configMap', 'secret', 'persistentVolumeClaim']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Json = any;

function unknownKeys(object: Json, allowed: Set<string>, where: string): string[] {
  return Object.keys(object ?? {}).filter((key) => !allowed.has(key)).map((key) => `${where}.${key}`);
}

function jobProblems(job: Json): string[] {
  const problems = unknownKeys(job.spec, JOB_SPEC, 'spec');
  const pod = job.spec.template.spec;
  problems.push(...unknownKeys(pod, POD_SPEC, 'spec.template.spec'));
  if (!['Never', 'OnFailure'].includes(pod.restartPolicy)) problems.push('a Job pod restarts Never or OnFailure');
  const volumes = new Set<string>();
  for (const volume of pod.volumes ?? []) {
    volumes.add(volume.name);
    const sources = Object.keys(volume).filter((key) => key !== 'name');
    if (sources.length !== 1 || !VOLUME_SOURCES.has(sources[0])) problems.push(`volume ${volume.name}: exactly one known source`);
  }
  for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
    problems.push(...unknownKeys(container, CONTAINER, `container ${container.name}`));
    if (!DNS_LABEL.test(container.name)) problems.push(`container name ${container.name}`);
    if (!PUBLISHED_IMAGES.has(container.image)) problems.push(`image ${container.image} is not a published image at an exact tag`);
    for (const mount of container.volumeMounts ?? []) if (!volumes.has(mount.name)) problems.push(`mount ${mount.name} has no volume`);
    for (const variable of container.env ?? []) if (typeof variable.value !== 'string' && !variable.valueFrom) problems.push(`env ${variable.name} needs a string value`);
  }
  return problems;
}

test('the Kubernetes manifests: an Indexed Job whose JOB_COMPLETION_INDEX is the shard, then a merge Job, by Job field rules', async () => {
  const text = (await readFile(JOBS, 'utf8')).replaceAll('RUN_ID', '20260101-0217');
  assert.doesNotMatch(text, /\$20260101/, 'the placeholder never stands where the script expands a shell variable');
  // Kubernetes reads YAML 1.1 (0400 is octal there, 400 in YAML 1.2): the examples avoid the difference.
  const documents = parseAllDocuments(text, { version: '1.1' }).map((document) => {
    assert.deepEqual(document.errors, []);
    return document.toJS();
  });
  for (const document of documents) {
    assert.ok(document.apiVersion && document.kind && DNS_LABEL.test(document.metadata.name.replace(/\./g, '-')), `${document.kind} ${document.metadata?.name}`);
  }
  const jobs = documents.filter((document) => document.kind === 'Job');
  const [shards, merge] = jobs;
  for (const job of jobs) {
    assert.equal(job.apiVersion, 'batch/v1');
    assert.deepEqual(jobProblems(job), [], job.metadata.name);
  }
  assert.equal(shards.spec.completionMode, 'Indexed');
  const count = shards.spec.completions;
  assert.equal(shards.spec.parallelism, count);
  const script = shards.spec.template.spec.containers[0].args.join('\n');
  assert.match(script, new RegExp(`--shard "\\$\\(\\(JOB_COMPLETION_INDEX \\+ 1\\)\\)/${count}"`));
  const mergeScript = merge.spec.template.spec.containers[0].args.join('\n');
  for (let shard = 1; shard <= count; shard++) assert.match(mergeScript, new RegExp(`/reports/\\$DBCOMPLY_RUN/shard-${shard}\\b`));
  assert.match(mergeScript, /--key \/signing\/signing\.pub/, "the merge checks the shards' signatures");
  assert.equal(merge.spec.completions, 1);
  const claim = documents.find((document) => document.kind === 'PersistentVolumeClaim');
  for (const job of jobs) assert.equal(job.spec.template.spec.volumes.find((volume: Json) => volume.name === 'reports').persistentVolumeClaim.claimName, claim.metadata.name);
  const broken = structuredClone(shards);
  broken.spec.complitions = 4;
  broken.spec.template.spec.containers[0].image = 'node:latest';
  assert.equal(jobProblems(broken).length, 2, 'the rules are not a rubber stamp');
});

test('the Kubernetes run script is valid bash and applies the merge only after the shards', async () => {
  const script = join(PACKAGE_ROOT, 'examples', 'kubernetes', 'run-nightly.sh');
  execFileSync('bash', ['-n', script]);
  const text = await readFile(script, 'utf8');
  assert.ok(text.indexOf('wait --for=condition=complete') < text.indexOf("} /name: dbcomply-merge-/' | kubectl"), 'the merge is applied after the shards completed');
  assert.ok(text.indexOf("} !/name: dbcomply-merge-/' | kubectl") < text.indexOf('wait --for=condition=complete'), 'the shards are applied first, without the merge');
});

test('every inline shell script of the examples is valid bash', async () => {
  const workflow = parse(await readFile(WORKFLOW, 'utf8'));
  const scripts: string[] = Object.values(workflow.jobs as Record<string, { steps: Array<{ run?: string }> }>)
    .flatMap((job) => job.steps.map((step) => step.run))
    .filter((run): run is string => !!run)
    // GitHub substitutes ${{ ... }} before bash sees the script.
    .map((run) => run.replace(/\$\{\{[^}]*\}\}/g, '1'));
  const jobs = parseAllDocuments(await readFile(JOBS, 'utf8'), { version: '1.1' }).map((document) => document.toJS());
  for (const job of jobs.filter((document) => document.kind === 'Job')) scripts.push(...job.spec.template.spec.containers.map((container: { args: string[] }) => container.args.join('\n')));
  assert.ok(scripts.length >= 6);
  for (const script of scripts) execFileSync('bash', ['-n', '-c', script]);
});
