import { join } from 'node:path';
import type { Engine, ProfileName, Target } from '../targets/target.js';
import type { Verdict } from '../controls/verdict.js';
import type { ScenarioResult } from './scenario-results.js';
import type { TrendMark } from './trend.js';
import type { Comparison } from './compare-runs.js';
import type { ServerClockOffset } from '../probes/audit/server-clock-offset.js';

/** results.json: a stable contract read by CI jobs and auditors' tooling. Add fields; never rename. */
export interface ResultsDocument {
  tool: { name: 'dbcomply'; version: string };
  startedAt: string;
  finishedAt: string;
  /** False when the run was interrupted or a target could not be run at all. */
  complete: boolean;
  /** SHA-256 over the whole configured fleet, profile and tag selection: shards of one run share it. */
  configFingerprint?: string;
  /** With --shard: which part of the fleet this run assessed, and the whole fleet's target names in order. */
  shard?: { index: number; count: number; plannedTargets: string[] };
  /** Written by `dbcomply merge`: the shard directories this document was built from. */
  mergedFrom?: string[];
  /** With --compare: the previous run and how many cells changed which way. */
  comparison?: Comparison;
  targets: TargetResult[];
}

export interface TargetResult {
  name: string;
  engine: Engine;
  endpoint: string;
  profile: ProfileName;
  origin?: string;
  /** loginProblem: the configured account could not log in over TLS, so login-based checks may be undecided. */
  /** clockOffset: the server's clock minus the harness's, as audit.clock-sync measured it (absent when that control did not run). */
  server: { version?: string; versionSource?: string; loginProblem?: string; certificateSha256?: string; clockOffset?: ServerClockOffset };
  /** Control id -> verdict. */
  controls: Record<string, Verdict>;
  /** Control id -> why: for every control not passed, and for passed ones the evidence-based reason. */
  reasons: Record<string, string>;
  scenarios: ScenarioResult[];
  /** Paths of this target's reports, relative to the output directory. */
  reports: { html: string; junit: string; messages: string };
  durationMs: number;
  /** With --compare: control id -> how its verdict changed since the previous run (unchanged cells absent). */
  trend?: Record<string, TrendMark>;
  /** With --compare: aspects where Azure's configuration and the server's behaviour disagree now and did not in the previous run. */
  newDisagreements?: string[];
  /** Set when the target could not be assessed at all (its controls are then absent, and the run fails). */
  error?: string;
  /** Why the harness could not reach the server as the declared engine (refused, no such name, not that database): every control it gates is undecided. */
  unreachable?: string;
  /**
   * Targets with both an endpoint and an Azure resource: each security parameter as Azure Resource
   * Manager reports it beside what the probes saw; a disagreement is a finding of its own and fails the run.
   */
  configurationVsBehaviour?: ConfigurationVsBehaviour;
}

/** The part of a target's result known before it runs: who it is and where its reports go. */
export function targetResultHeader(target: Target): Pick<TargetResult, 'name' | 'engine' | 'endpoint' | 'profile' | 'origin' | 'reports'> {
  return {
    name: target.name,
    engine: target.engine,
    endpoint: `${target.host}:${target.port}`,
    profile: target.profile,
    origin: target.origin,
    reports: { html: join(target.name, 'report.html'), junit: join(target.name, 'junit.xml'), messages: join(target.name, 'messages.ndjson') },
  };
}

/** One security aspect as Azure's configuration states it beside what the server did. */
export interface ConfigurationComparisonRow {
  aspect: string;
  configured: string;
  observed: string;
  /** undefined when either side is unknown: nothing to compare, never an agreement. */
  agrees: boolean | undefined;
  finding?: string;
  /** Why Azure's value is not in force (pending a restart): the row is then not compared. */
  notInEffect?: string;
}

export type ConfigurationVsBehaviour = { rows: ConfigurationComparisonRow[]; disagreements: number } | { problem: string };
