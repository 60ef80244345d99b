import { Writable } from 'node:stream';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import type { IRunConfiguration, ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Target } from '../targets/target.js';
import { ScenarioResultCollector } from '../report/scenario-results.js';
import { controlOutcomes } from '../report/control-verdicts.js';
import { targetResultHeader, type TargetResult } from '../report/results-document.js';
import { featurePaths, PACKAGE_ROOT, supportImports } from './spec-paths.js';
import { contextFor, releaseContext } from '../probes/target-contexts.js';
import { needsTheServer, unreachableCause } from '../probes/reachability.js';
import { configurationVsBehaviour } from '../probes/plane/configuration-findings.js';
import { selectedControls } from './scenario-plan.js';
import { reasonNotApplicable } from '../controls/applicability.js';
import { checkFor } from '../probes/checks.js';
import { observeControls } from '../probes/control-observation.js';
import { CucumberReports, reportLibraries } from '../report/cucumber-reports.js';
import { serverClockOffsetOf } from '../probes/audit/server-clock-offset.js';
import { TOOL_VERSION } from './tool-version.js';

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const environment = () => ({ cwd: PACKAGE_ROOT, stdout: discard(), stderr: discard() });

let supportLibrary: Promise<ISupportCodeLibrary> | undefined;

type CucumberApi = typeof import('@cucumber/cucumber/api');
let cucumberApi: Promise<CucumberApi> | undefined;

/**
 * Cucumber's runner, loaded on first use rather than at start-up: it is a third of a short run's
 * start, and loading it while the first target's probes are out hides most of that.
 */
function cucumber(): Promise<CucumberApi> {
  cucumberApi ??= import('@cucumber/cucumber/api');
  return cucumberApi;
}

/** Loads Cucumber, its configuration, the step definitions and the report libraries ahead of the first Cucumber run; failures surface there. */
function warmUpCucumber(tags: string | undefined): void {
  void sharedConfiguration(tags)
    .then(sharedSupport)
    .then(reportLibraries)
    .catch(() => undefined);
}

/** Cucumber resolves a formatter path that starts with a dot from its cwd, the package root. */
const SILENT_STDOUT_FORMATTER = `./${relative(PACKAGE_ROOT, fileURLToPath(new URL('./silent-stdout-formatter.js', import.meta.url)))}`;

const configurations = new Map<string, Promise<IRunConfiguration>>();

/** Cucumber's configuration for a tag selection, made once per process: only the world parameters differ by target. */
function sharedConfiguration(tags: string | undefined): Promise<IRunConfiguration> {
  const key = tags ?? '';
  let configuration = configurations.get(key);
  if (!configuration) {
    configuration = cucumber()
      .then(({ loadConfiguration }) =>
        loadConfiguration(
          {
            file: false,
            provided: {
              paths: featurePaths(),
              import: supportImports(),
              tags: key,
              strict: true,
              // The reports are written from the redacted envelopes afterwards (CucumberReports), not by Cucumber's formatters.
              format: [],
            },
          },
          environment(),
        ),
      )
      .then(({ runConfiguration }) => ({ ...runConfiguration, formats: { ...runConfiguration.formats, stdout: SILENT_STDOUT_FORMATTER } }));
    configurations.set(key, configuration);
  }
  return configuration;
}

async function configurationFor(target: Target, tags: string | undefined): Promise<IRunConfiguration> {
  const shared = await sharedConfiguration(tags);
  return { ...shared, runtime: { ...shared.runtime, worldParameters: { target: { ...target }, selectedControls: selectedControls(tags) } } };
}

/**
 * Step definitions are registered once per process, then shared by every target's run. The
 * library's coordinates are cut to one file: Cucumber expands them again on every run only to
 * report them, and the code is loaded already.
 */
function sharedSupport(configuration: IRunConfiguration): Promise<ISupportCodeLibrary> {
  supportLibrary ??= cucumber()
    .then(({ loadSupport }) => loadSupport(configuration, environment()))
    .then((library) => ({
      ...library,
      originalCoordinates: { ...library.originalCoordinates, importPaths: library.originalCoordinates.importPaths.slice(0, 1) },
    }));
  return supportLibrary;
}

/**
 * Starts every observation the target's selected scenarios will judge, and resolves once they are
 * all out, with the promise of their end. runAll then either waits for them before the target's
 * Cucumber run, which only judges and reports (a target that waits for a log line or a delayed
 * failed login waits holding nothing but its evidence and sessions), or, when a reporting slot is
 * free, judges beside them: each scenario waits for its own observation.
 */
export async function startObservingTarget(target: Target, tags?: string): Promise<{ observed: Promise<void> }> {
  const context = contextFor(target);
  // A server that cannot be reached has its server-side controls undecided for that one cause (the
  // hooks say so): only the controls that do not dial it (network vantage points, the Azure plane) are observed.
  const unreachable = !target.planeOnly && (await unreachableCause(context)) !== undefined;
  const checks = selectedControls(tags)
    .filter((id) => reasonNotApplicable(id, target) === undefined)
    .filter((id) => !unreachable || !needsTheServer(id))
    .map(checkFor);
  const observed = observeControls(context, checks);
  warmUpCucumber(tags);
  return { observed };
}

/**
 * Runs the whole spec against one target; its reports go to `<outDir>/<target name>/`. With
 * `observed` (from startObservingTarget), the run judges beside the observations still out and
 * lets the target's sessions go only when every one of them has ended.
 */
export async function runTarget(target: Target, outDir: string, tags?: string, observed?: Promise<void>): Promise<TargetResult> {
  const started = performance.now();
  const targetDir = join(outDir, target.name);
  await mkdir(targetDir, { recursive: true });
  const configuration = await configurationFor(target, tags);
  const collector = new ScenarioResultCollector();
  const reports = new CucumberReports();
  contextFor(target);
  let context;
  try {
    const { runCucumber } = await cucumber();
    await runCucumber({ ...configuration, support: await sharedSupport(configuration) }, environment(), (envelope) => {
      collector.accept(envelope);
      reports.accept(envelope);
    });
    await observed;
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
  await reports.write(
    { html: join(outDir, result.reports.html), junit: join(outDir, result.reports.junit), messages: join(outDir, result.reports.messages) },
    { result, toolVersion: TOOL_VERSION, scenarioOutcomes: collector.outcomesByAttempt },
  );
  return result;
}
