import { Writable } from 'node:stream';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { loadConfiguration, loadSupport, runCucumber, type IRunConfiguration, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Target } from '../targets/target.js';
import { ScenarioResultCollector } from '../report/scenario-results.js';
import { controlOutcomes } from '../report/control-verdicts.js';
import { targetResultHeader, type TargetResult } from '../report/results-document.js';
import { FEATURE_PATHS, PACKAGE_ROOT, SUPPORT_IMPORTS } from './spec-paths.js';
import { contextFor, releaseContext } from '../probes/target-contexts.js';
import { unreachableCause } from '../probes/reachability.js';
import { configurationVsBehaviour } from '../probes/plane/configuration-findings.js';
import { selectedControls } from './scenario-plan.js';
import { serverClockOffsetOf } from '../probes/audit/server-clock-offset.js';
import { redactFile } from '../report/redact.js';
import { labelCucumberReport } from '../report/cucumber-report-label.js';
import { TOOL_VERSION } from './tool-version.js';

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const environment = () => ({ cwd: PACKAGE_ROOT, stdout: discard(), stderr: discard() });

let supportLibrary: Promise<ISupportCodeLibrary> | undefined;

async function configurationFor(target: Target, targetDir: string, tags: string | undefined): Promise<IRunConfiguration> {
  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths: FEATURE_PATHS,
        import: SUPPORT_IMPORTS,
        tags: tags ?? '',
        strict: true,
        worldParameters: { target: { ...target }, selectedControls: selectedControls(tags) },
        format: [
          ['html', join(targetDir, 'report.html')],
          ['message', join(targetDir, 'messages.ndjson')],
          ['junit', join(targetDir, 'junit.xml')],
        ],
        formatOptions: { junit: { suiteName: `dbcomply ${target.name}` } },
      },
    },
    environment(),
  );
  return runConfiguration;
}

/** Step definitions are registered once per process, then shared by every target's run. */
function sharedSupport(configuration: IRunConfiguration): Promise<ISupportCodeLibrary> {
  supportLibrary ??= loadSupport(configuration, environment());
  return supportLibrary;
}

/** Runs the whole spec against one target; its reports go to `<outDir>/<target name>/`. */
export async function runTarget(target: Target, outDir: string, tags?: string): Promise<TargetResult> {
  const started = performance.now();
  const targetDir = join(outDir, target.name);
  await mkdir(targetDir, { recursive: true });
  const configuration = await configurationFor(target, targetDir, tags);
  const collector = new ScenarioResultCollector();
  contextFor(target);
  let context;
  try {
    await runCucumber({ ...configuration, support: await sharedSupport(configuration) }, environment(), (envelope) => collector.accept(envelope));
  } finally {
    context = await releaseContext(target.name);
  }
  const outcomes = controlOutcomes(collector.results);
  // A plane-only target has no server to reach: nothing is dialled for it.
  const unreachable = context && !target.planeOnly ? await unreachableCause(context) : undefined;
  const probed = !unreachable && !target.planeOnly;
  const certificateSha256 = probed ? await context?.certificateSha256() : undefined;
  const clockOffset = probed && context ? await serverClockOffsetOf(context) : undefined;
  const server = { ...((probed && (await context?.serverVersion())) || {}), ...(certificateSha256 ? { certificateSha256 } : {}), ...(clockOffset ? { clockOffset } : {}) };
  const comparison = probed && context ? await configurationVsBehaviour(context) : undefined;
  const result: TargetResult = {
    ...targetResultHeader(target),
    server,
    controls: Object.fromEntries(Object.entries(outcomes).map(([id, outcome]) => [id, outcome.verdict])),
    reasons: Object.fromEntries(
      Object.entries(outcomes)
        .filter(([, outcome]) => outcome.reason)
        .map(([id, outcome]) => [id, outcome.reason!]),
    ),
    scenarios: collector.results,
    ...(unreachable ? { unreachable } : {}),
    ...(comparison ? { configurationVsBehaviour: comparison } : {}),
    durationMs: Math.round(performance.now() - started),
  };
  const files = Object.values(result.reports).map((file) => join(outDir, file));
  await Promise.all(files.map((file) => redactFile(file).catch(() => undefined)));
  await labelCucumberReport(join(outDir, result.reports.html), result, TOOL_VERSION);
  return result;
}
