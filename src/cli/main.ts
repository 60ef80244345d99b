import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { join, relative } from 'node:path';
import { ConfigError } from '../targets/config-error.js';
import { resolveTargets } from '../targets/resolve-targets.js';
import { PROFILES } from '../targets/profiles.js';
import type { ProfileName, Target } from '../targets/target.js';
import { newResultsDocument, runAll, unassessedTarget, writeResults } from '../runner/run-all.js';
import { TOOL_VERSION } from '../runner/tool-version.js';
import { writeOverviewHtml } from '../report/overview-html.js';
import { writeMergedJunit } from '../report/junit-merge.js';
import { writeResultsCsv } from '../report/results-csv.js';
import { redact } from '../report/redact.js';
import { summaryLines } from './terminal-summary.js';
import { prepareOutputDirectory } from './output-directory.js';
import { checkScenarioSelection } from '../runner/scenario-plan.js';
import { ProgressLine } from './progress-line.js';
import type { ResultsDocument } from '../report/results-document.js';
import type { KeyObject } from 'node:crypto';
import { loadSigningKey, loadVerificationKey } from '../evidence/signing-key.js';
import { operatorName, writeManifest, type ManifestContext } from '../evidence/manifest.js';
import { gitRevision } from '../evidence/git-revision.js';
import { harnessClockOffset } from '../evidence/harness-clock.js';
import { writeOscalAssessmentResults } from '../evidence/oscal-assessment-results.js';
import { verifyCommand, type VerifyFlags } from './verify-command.js';
import { inShard, parseShard, type Shard } from '../runner/shard.js';
import { mergeShards, type MergeFlags } from './merge-command.js';
import { ShardMismatch } from '../report/merge-shards.js';
import { configFingerprint } from '../runner/config-fingerprint.js';
import { compareRuns, comparisonLines, FAIL_ON_CHOICES, runAcceptable, type FailOn } from '../report/compare-runs.js';
import { loadComparisonBaseline } from './compare-baseline.js';
import { requireKeyOutside } from './key-outside.js';
import { discover, type DiscoverFlags } from './discover-command.js';
import { printable } from '../util/printable.js';
import { keepRunningWhenReaderGoes, writeLine } from './closed-output.js';

/**
 * The lab loads only when --demo starts its servers: it brings both database drivers and the Azure
 * stand-ins, a third of a second of start-up that a run against declared servers never needs.
 */
let lab: typeof import('../lab/local-server.js') | undefined;

async function stopLabServers(): Promise<void> {
  await lab?.stopAllLocalServers();
}

const EXIT_PASSED = 0;
const EXIT_NOT_PASSED = 1;
const EXIT_USAGE = 2;

interface RunFlags extends Omit<DiscoverFlags, 'out' | 'profile'> {
  /** Discover the targets in Azure (the discover command's flags) and assess them too. */
  discover: boolean;
  target: string[];
  config?: string;
  profile?: ProfileName;
  tags?: string;
  out?: string;
  demo: boolean;
  concurrency: number;
  intrusive: boolean;
  signingKey?: string;
  operator?: string;
  compare?: string;
  /** Public key the --compare baseline must be signed with (merge: defaults to --key). */
  compareKey?: string;
  failOn: FailOn;
  shard?: Shard;
  runId?: string;
  progress?: boolean;
}

keepRunningWhenReaderGoes(process.stdout);
keepRunningWhenReaderGoes(process.stderr);
const say = (line: string) => writeLine(process.stdout, redact(line));
const complain = (line: string) => writeLine(process.stderr, redact(line));

function positive(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive whole number');
  return number;
}

function defaultOutDir(): string {
  return join('reports', new Date().toISOString().replace(/[:.]/g, '-'));
}

/** The manifest comes last: it hashes every other file the run wrote. */
async function writeReports(outDir: string, document: ResultsDocument, manifest: ManifestContext): Promise<string> {
  await writeResults(outDir, document);
  await writeResultsCsv(outDir, document);
  await writeMergedJunit(outDir, document);
  const overview = await writeOverviewHtml(outDir, document);
  await writeOscalAssessmentResults(outDir, document);
  await writeManifest(outDir, document, manifest);
  return overview;
}

/** Set once a signal arrived: from then on the signal handler alone writes the reports and exits. */
let interrupted = false;

/**
 * SIGINT/SIGTERM mid-run: stop local servers, write what is known with every unfinished target
 * listed as not assessed, mark the run incomplete, print where the report is, exit 1.
 */
function finishOnSignals(outDir: string, document: ResultsDocument, planned: () => Target[], manifest: ManifestContext, withTrend: (document: ResultsDocument) => ResultsDocument): void {
  const onSignal = (signal: string) => {
    interrupted = true;
    complain(`dbcomply: ${signal} received; stopping local servers and writing a partial report`);
    const finished = new Map(document.targets.map((result) => [result.name, result]));
    // A copy, because targets still running keep rewriting the live document until the servers are gone.
    const partial: ResultsDocument = {
      ...document,
      targets: planned().map((target) => finished.get(target.name) ?? unassessedTarget(target, `interrupted by ${signal} before this target was assessed`)),
      complete: false,
      finishedAt: new Date().toISOString(),
    };
    void Promise.allSettled([stopLabServers(), writeReports(outDir, withTrend(partial), manifest).then(showReportPath)]).finally(() => process.exit(EXIT_NOT_PASSED));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

function showReportPath(report: string): void {
  const shown = relative(process.cwd(), report);
  say(`Report: ${shown.startsWith('..') ? report : shown}`);
}

async function run(flags: RunFlags): Promise<number> {
  if (!flags.demo && !flags.discover && flags.target.length === 0 && !flags.config) {
    throw new ConfigError('run', 'name at least one target with --target URL or --config FILE, or use --discover or --demo');
  }
  const declared = await resolveTargets({ urls: flags.target, configFile: flags.config, profile: flags.profile, intrusive: flags.intrusive });
  await checkScenarioSelection(flags.tags);
  if (flags.compareKey && !flags.compare) throw new ConfigError('--compare-key', 'needs --compare PREVIOUS_DIR');
  if (flags.compare) await requireKeyOutside('--compare-key', flags.compareKey, [flags.compare]);
  const compareKey = flags.compareKey ? await loadVerificationKey(flags.compareKey, '--compare-key') : undefined;
  const previous = flags.compare ? await loadComparisonBaseline(flags.compare, compareKey, say) : undefined;
  if (flags.failOn === 'new' && !previous) throw new ConfigError('--fail-on', 'new needs --compare PREVIOUS_DIR: without a previous run every failure is new');
  const withTrend = (current: ResultsDocument) => (previous ? compareRuns(current, previous, flags.compare!) : current);
  const signingKey: KeyObject | undefined = flags.signingKey ? await loadSigningKey(flags.signingKey) : undefined;
  const manifest: ManifestContext = { operator: operatorName(flags.operator), gitRevision: gitRevision(), harnessClockOffset: harnessClockOffset(), signingKey };
  const outDir = await prepareOutputDirectory(flags.out ?? defaultOutDir());
  if (flags.discover) {
    // The fleet as found now, kept with the reports: the auditor sees which servers this run covered.
    const discoveredFile = join(outDir, 'discovered.yaml');
    for (const line of await discover({ ...flags, profile: flags.profile ?? 'baseline', out: discoveredFile }, { withSchemaModeline: false })) say(line);
    const discovered = await resolveTargets({ urls: [], configFile: discoveredFile, profile: flags.profile, intrusive: flags.intrusive });
    const taken = new Set(declared.map((target) => target.name));
    const clash = discovered.find((target) => taken.has(target.name));
    if (clash) throw new ConfigError('--discover', `a discovered server is named "${clash.name}" like a declared target; rename the declared one`);
    declared.push(...discovered);
  }
  const document: ResultsDocument = {
    ...newResultsDocument(),
    configFingerprint: configFingerprint({ declared, tags: flags.tags, demo: flags.demo, profile: flags.profile, intrusive: flags.intrusive, toolVersion: TOOL_VERSION, runId: flags.runId }),
  };
  let targets: Target[] = inShard(declared, flags.shard);
  // Loaded before the signal handler is installed: a signal must never find the lab half loaded, with servers about to start behind its back.
  const demo = flags.demo ? await import('./demo-targets.js') : undefined;
  if (demo) lab = await import('../lab/local-server.js');
  finishOnSignals(outDir, document, () => targets, manifest, withTrend);
  if (demo) {
    const { startDemoTargets } = demo;
    say('dbcomply: starting local demo servers (hardened and legacy PostgreSQL and MariaDB)');
    const all = [...(await startDemoTargets(flags.profile ?? 'baseline', flags.intrusive)), ...declared];
    targets = inShard(all, flags.shard);
    if (flags.shard) document.shard = { ...flags.shard, plannedTargets: all.map((target) => target.name) };
  } else if (flags.shard) {
    document.shard = { ...flags.shard, plannedTargets: declared.map((target) => target.name) };
  }
  if (flags.shard) say(`dbcomply: shard ${flags.shard.index}/${flags.shard.count}: ${targets.length} of ${document.shard!.plannedTargets.length} targets`);
  try {
    const progress = ProgressLine.choose(targets.length, process.stderr, flags.progress);
    progress.start();
    await runAll(
      targets,
      {
        outDir,
        tags: flags.tags,
        concurrency: flags.concurrency,
        onTargetDone: (result) => {
          progress.clear();
          summaryLines(result).forEach(say);
          progress.targetDone(result);
        },
      },
      document,
    ).finally(() => progress.finish());
  } finally {
    await stopLabServers();
  }
  // Stopping the servers on a signal ends the run early; its partial document is the handler's to write.
  if (interrupted) return new Promise<never>(() => undefined);
  const final = withTrend(document);
  comparisonLines(final).forEach(say);
  showReportPath(await writeReports(outDir, final, manifest));
  return runAcceptable(final, flags.failOn) ? EXIT_PASSED : EXIT_NOT_PASSED;
}

async function merge(dirs: string[], flags: MergeFlags & Pick<RunFlags, 'compare' | 'compareKey' | 'failOn' | 'signingKey' | 'operator'>): Promise<number> {
  if (flags.compareKey && !flags.compare) throw new ConfigError('--compare-key', 'needs --compare PREVIOUS_DIR');
  // The shards' key checks the previous merged run too, unless it was signed with another.
  const compareKeyFile = flags.compareKey ?? flags.key;
  if (flags.compare) await requireKeyOutside(flags.compareKey ? '--compare-key' : '--key', compareKeyFile, [flags.compare]);
  const compareKey = flags.compare && compareKeyFile ? await loadVerificationKey(compareKeyFile, flags.compareKey ? '--compare-key' : '--key') : undefined;
  const previous = flags.compare ? await loadComparisonBaseline(flags.compare, compareKey, say) : undefined;
  if (flags.failOn === 'new' && !previous) throw new ConfigError('--fail-on', 'new needs --compare PREVIOUS_DIR: without a previous run every failure is new');
  const signingKey = flags.signingKey ? await loadSigningKey(flags.signingKey) : undefined;
  const manifest: ManifestContext = { operator: operatorName(flags.operator), gitRevision: gitRevision(), harnessClockOffset: harnessClockOffset(), signingKey };
  const { outDir, document, shardClocks, authenticity } = await mergeShards(dirs, flags);
  manifest.shardHarnessClockOffsets = shardClocks;
  manifest.shardAuthenticity = authenticity;
  if (flags.hashesOnly) say('dbcomply: shards accepted on their hashes alone (--hashes-only): their authenticity was not checked');
  const final = previous ? compareRuns(document, previous, flags.compare!) : document;
  final.targets.forEach((result) => summaryLines(result).forEach(say));
  comparisonLines(final).forEach(say);
  say(`dbcomply: merged ${dirs.length} shards, ${final.targets.length} targets${final.complete ? '' : ' (INCOMPLETE: a shard was interrupted or a target could not be assessed)'}`);
  showReportPath(await writeReports(outDir, final, manifest));
  return runAcceptable(final, flags.failOn) ? EXIT_PASSED : EXIT_NOT_PASSED;
}

function program(): Command {
  const command = new Command('dbcomply')
    .description('Decide Azure Database for PostgreSQL/MySQL security controls by probing real servers')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (text) => complain(text.trimEnd()) });
  command
    .command('run')
    .description('run the compliance spec against one or more targets and write the reports')
    .option('-t, --target <url>', 'postgres://user@host:port/db?sslrootcert=ca.pem&passwordEnv=VAR or mysql://... (repeatable; VAR is the environment variable holding the password, which a URL would show in ps)', (value: string, all: string[]) => [...all, value], [])
    .option('-c, --config <file>', 'YAML file listing targets; passwords come from the environment variables it names')
    .addOption(new Option('-p, --profile <name>', 'expectations the targets are held to').choices(PROFILES))
    .option('--tags <expression>', 'Cucumber tag expression selecting scenarios, e.g. "@control:transport.no-tls1.1"')
    .option('-o, --out <dir>', 'output directory (default reports/<timestamp>)')
    .option('--demo', 'start local hardened and weak PostgreSQL and MariaDB servers and assess them too', false)
    .option('--intrusive', 'also run intrusive probes (lockout, default-admin guessing): they make failed logins that can lock accounts', false)
    .option('--concurrency <n>', 'targets probed at the same time (two at a time are then judged and reported)', positive, 4)
    .option('--compare <previous>', 'previous output directory or results.json: mark each control new failure, fixed, still failing or newly undecided')
    .option('--compare-key <file>', 'PEM public key the --compare run must be signed with (its hashes are checked always)')
    .addOption(new Option('--fail-on <which>', 'which failures fail the exit status: any, or only new ones since --compare (new failures and newly undecided controls)').choices(FAIL_ON_CHOICES).default('any'))
    .option('--progress', 'a progress line (targets done, failures so far) even when stderr is not a terminal; on a terminal it is on for more than one target')
    .option('--no-progress', 'no progress line, even on a terminal')
    .option('--shard <i/n>', 'assess only the I-th of N stable parts of the targets (by a hash of each name; 1-based); combine with dbcomply merge', parseShard)
    .option('--run-id <id>', 'with --shard: an id every shard of one run shares (e.g. the CI run id); merge then refuses a shard kept from another run')
    .option('--signing-key <file>', 'PEM private key (ed25519 or ECDSA P-256) that signs manifest.dsse.json; without it the manifest is unsigned')
    .option('--operator <name>', 'who ran the assessment, recorded in the manifest (default: $DBCOMPLY_OPERATOR, else $USER)')
    .option('--discover', 'also assess the flexible servers found in Azure (takes the discover command\'s flags below)', false)
    .option('--subscription <id>', 'with --discover: subscription to list (repeatable)', (value: string, all: string[]) => [...all, value], [])
    .option('--resource-group <name>', 'with --discover: only these resource groups (repeatable)', (value: string, all: string[]) => [...all, value], [])
    .option('--tag <key=value>', 'with --discover: only servers carrying this tag (repeatable)', (value: string, all: string[]) => [...all, value], [])
    .option('--user <name>', 'with --discover: account the discovered targets log in as')
    .option('--password-env <variable>', 'with --discover: environment variable holding that account\'s password')
    .option('--plane-only', 'with --discover: assess the discovered servers on the Azure plane only', false)
    .option('--tenant-id <id>', 'with --discover: Entra tenant of the service principal')
    .option('--client-id <id>', 'with --discover: client id of the service principal')
    .option('--client-secret-env <variable>', 'with --discover: environment variable holding the client secret')
    .option('--arm-endpoint <url>', 'with --discover: Azure Resource Manager endpoint')
    .option('--authority-host <url>', 'with --discover: Entra authority host')
    .option('--key-vault-dns-suffix <suffix>', 'with --discover: Key Vault DNS suffix')
    .option('--ca-file <file>', 'with --discover: extra CA bundle for ARM, Key Vault and the authority host')
    .exitOverride()
    .action(async (flags: RunFlags) => {
      process.exitCode = await run(flags);
    });
  command
    .command('merge')
    .description('combine the output directories of --shard runs into one matrix, results.json, JUnit and manifest')
    .argument('<dirs...>', 'output directories of the shards (every shard of one run)')
    .requiredOption('-o, --out <dir>', 'where the merged reports go')
    .option('--key <file>', 'PEM public key every shard manifest must be signed with')
    .option('--hashes-only', "no key: accept the shards on their hashes alone (the merged manifest records that their authenticity was not checked)", false)
    .option('--compare <previous>', 'previous output directory or results.json: mark each control new failure, fixed, still failing or newly undecided')
    .option('--compare-key <file>', 'PEM public key the --compare run must be signed with (default: --key; its hashes are checked always)')
    .addOption(new Option('--fail-on <which>', 'which failures fail the exit status: any, or only new ones since --compare (new failures and newly undecided controls)').choices(FAIL_ON_CHOICES).default('any'))
    .option('--signing-key <file>', 'PEM private key (ed25519 or ECDSA P-256) that signs the merged manifest')
    .option('--operator <name>', 'who merged, recorded in the manifest (default: $DBCOMPLY_OPERATOR, else $USER)')
    .exitOverride()
    .action(async (dirs: string[], flags: MergeFlags & Pick<RunFlags, 'compare' | 'compareKey' | 'failOn' | 'signingKey' | 'operator'>) => {
      process.exitCode = await merge(dirs, flags);
    });
  command
    .command('verify')
    .description("check a run's output directory against its manifest: every file's SHA-256 and the signature; without --key it fails unless --hashes-only")
    .argument('<dir>', 'the output directory of a run')
    .option('--key <file>', 'PEM public key the manifest must be signed with')
    .option('--hashes-only', 'no key: check the hashes alone and exit 0 when they match, saying authenticity was not checked (an unsigned run needs it too)', false)
    .exitOverride()
    .action(async (dir: string, flags: VerifyFlags) => {
      process.exitCode = (await verifyCommand(dir, flags, say)) ? EXIT_PASSED : EXIT_NOT_PASSED;
    });
  const repeatable = (value: string, all: string[]) => [...all, value];
  command
    .command('discover')
    .description('list the PostgreSQL and MySQL flexible servers of Azure subscriptions and write a config file with one target per server')
    .option('--subscription <id>', 'subscription to list (repeatable)', repeatable, [])
    .option('--resource-group <name>', 'only these resource groups (repeatable)', repeatable, [])
    .option('--tag <key=value>', 'only servers carrying this tag (repeatable; all must match)', repeatable, [])
    .addOption(new Option('-p, --profile <name>', 'profile written for every target').choices(PROFILES).default('baseline'))
    .requiredOption('-o, --out <file>', 'config file to write')
    .option('--user <name>', 'account the targets log in as')
    .option('--password-env <variable>', 'environment variable holding that account\'s password')
    .option('--plane-only', 'write no host: assess the servers on the Azure plane only', false)
    .option('--tenant-id <id>', 'Entra tenant of the service principal')
    .option('--client-id <id>', 'client id of the service principal (or of the managed identity)')
    .option('--client-secret-env <variable>', 'environment variable holding the client secret (default: DefaultAzureCredential)')
    .option('--arm-endpoint <url>', 'Azure Resource Manager endpoint (sovereign clouds; default https://management.azure.com)')
    .option('--authority-host <url>', 'Entra authority host (default https://login.microsoftonline.com)')
    .option('--key-vault-dns-suffix <suffix>', 'Key Vault DNS suffix (default vault.azure.net)')
    .option('--ca-file <file>', 'extra CA bundle trusted for ARM, Key Vault and the authority host')
    .exitOverride()
    .action(async (flags: DiscoverFlags) => {
      for (const line of await discover(flags)) say(line);
      process.exitCode = EXIT_PASSED;
    });
  return command;
}

try {
  await program().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else if (error instanceof ShardMismatch) {
    complain(`dbcomply merge: refused: ${printable(error.message)}`);
    process.exitCode = EXIT_USAGE;
  } else if (error instanceof ConfigError) {
    complain(`dbcomply: configuration error: ${error.message}`);
    process.exitCode = EXIT_USAGE;
  } else {
    complain(`dbcomply: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_NOT_PASSED;
  }
  await stopLabServers().catch(() => undefined);
}

/**
 * The command is done: its reports are written and its servers stopped. Whatever still holds the
 * event loop (a socket to a server that hangs, an SDK's keep-alive agent) must not keep a CI job
 * waiting until it is killed, nor let that kill rewrite a finished run as interrupted: after a
 * grace period for the terminal to drain, exit with the status the command set. Unref'd, so a
 * process with nothing left exits at once, as before.
 */
const LINGER_MS = 3000;
setTimeout(() => {
  complain(`dbcomply: ${describeOpenHandles()} still held open after the run (a connection that did not close); exiting with status ${process.exitCode ?? 0}`);
  process.exit();
}, LINGER_MS).unref();

/** "3 handle(s) (TCPSocketWrap x2, FSReqCallback)": which kinds say where to look. */
function describeOpenHandles(): string {
  const kinds = process.getActiveResourcesInfo().filter((kind) => kind !== 'Timeout');
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return `${kinds.length} handle(s) (${[...counts].map(([kind, count]) => (count > 1 ? `${kind} x${count}` : kind)).join(', ')})`;
}
