import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import type { Target } from '../src/targets/target.js';
import type { ControlId } from '../src/controls/catalogue.js';
import { UndecidedError, type Decision } from '../src/controls/verdict.js';
import { decideControl, observeControl } from '../src/probes/control-observation.js';
import { checkFor } from '../src/probes/checks.js';
import { contextFor } from '../src/probes/target-contexts.js';
import type { TargetContext } from '../src/probes/target-context.js';
import { redact, redactDeep } from '../src/report/redact.js';
import { DECISION_ATTACHMENT, decisionAttachmentBody } from '../src/report/decision-attachment.js';
import { AssertionError } from 'chai';
import type { TlsVersion } from '../src/tls/versions.js';
import type { TlsVersionCheck } from '../src/probes/transport/tls-version-checks.js';

type RequirementPoints = Array<{ point: string; requirement: string; observed: string; holds: boolean | undefined; judgedBy?: string }>;

/** A requirement point as a step's reason gives it: what it requires and what was observed. */
const describePoint = (point: RequirementPoints[number]) => `${point.point}: ${point.requirement}; observed ${point.observed}`;

export interface DbcomplyParameters {
  target: Target;
  /** The controls the run's tag expression selects: their probes start together at the first scenario. */
  selectedControls: ControlId[];
}

/**
 * The actor: one target under test, with its context (the abilities its probes give: handshakes,
 * scans, logins, the catalog), judging the one control its scenario is tagged with.
 */
export class ComplianceWorld extends World<DbcomplyParameters> {
  readonly target: Target;
  readonly context: TargetContext;
  /** The control this scenario decides, from its @control tag (set by a Before hook). */
  control?: ControlId;

  constructor(options: IWorldOptions<DbcomplyParameters>) {
    super(options);
    this.target = options.parameters.target;
    this.context = contextFor(this.target);
  }

  private get check() {
    if (!this.control) throw new UndecidedError('this scenario names no catalogue control (@control:<id>)');
    return checkFor(this.control);
  }

  /** The TLS version the scenario's control offers alone, for steps that name it. */
  checkedTlsVersion(): TlsVersion | undefined {
    const check = this.check as Partial<TlsVersionCheck>;
    return check.version;
  }

  /** The When step: makes (or collects, when it was started early) the control's observation and attaches its evidence. */
  async observe(): Promise<void> {
    const check = this.check;
    const observation = await observeControl(this.context, check);
    const shown = observation.kind === 'observed' ? (check.shown ? check.shown(observation.evidence) : observation.evidence) : { problem: observation.reason, ...(observation.evidence ? { evidence: observation.evidence } : {}) };
    this.evidence(check.evidenceTitle, shown);
  }

  /**
   * A Then step that states one point of a documented requirement list (seed 001's key, vault and
   * identity requirements): the point is judged on its own, with what was observed for it. The
   * first such step also records the whole control's decision, so a point no step names, or a
   * failing point after an undecided one that stops the scenario, still decides the control.
   */
  async judgePoint(point: string): Promise<'skipped' | undefined> {
    const context = await this.pointsAndWhole();
    if ('outcome' in context) return context.outcome;
    const { points } = context;
    const found = points.find((candidate) => candidate.point === point);
    this.judgedPoints.add(point);
    if (!found) return this.record({ verdict: 'undecided', reason: `the evidence of ${this.check.id} has no point "${point}"` });
    const says = describePoint(found);
    return this.record(found.holds === true ? { verdict: 'passed', reason: says } : found.holds === false ? { verdict: 'failed', reason: says } : { verdict: 'undecided', reason: `${says} (could not be told)` });
  }

  /**
   * The last Then of a requirement-list scenario: every point of the control that no earlier step
   * named (the geo-backup key's). Without it a control that fails on such a point showed every
   * step passed, in the Cucumber report and in JUnit, while results.json said failed.
   */
  async judgeRemainingPoints(): Promise<'skipped' | undefined> {
    const context = await this.pointsAndWhole();
    if ('outcome' in context) return context.outcome;
    const mine = context.points.filter((point) => point.judgedBy === this.check.id && !this.judgedPoints.has(point.point));
    const broken = mine.filter((point) => point.holds === false);
    const unknown = mine.filter((point) => point.holds === undefined);
    if (broken.length > 0) return this.record({ verdict: 'failed', reason: broken.map(describePoint).join('; ') });
    if (unknown.length > 0) return this.record({ verdict: 'undecided', reason: `${unknown.map(describePoint).join('; ')} (could not be told)` });
    return this.record({ verdict: 'passed', reason: mine.length > 0 ? mine.map(describePoint).join('; ') : 'no point beyond the ones above (the server has no geo-backup key)' });
  }

  /**
   * The control's points and whole decision; the whole is recorded once (the first point step) as
   * the control's decision. Without an observation the whole decides this step too: its outcome.
   */
  private async pointsAndWhole(): Promise<{ points: RequirementPoints; whole: Decision } | { outcome: 'skipped' | undefined }> {
    const check = this.check;
    const observation = await observeControl(this.context, check);
    const whole = decideControl(check, observation, this.target);
    if (!this.judgedWhole) {
      this.judgedWhole = true;
      this.attach(decisionAttachmentBody({ verdict: whole.verdict, reason: redact(whole.reason) }), { mediaType: 'application/json', fileName: DECISION_ATTACHMENT });
    }
    if (observation.kind !== 'observed') return { outcome: this.record(whole) };
    return { points: (observation.evidence as { points?: RequirementPoints }).points ?? [], whole };
  }

  private readonly judgedPoints = new Set<string>();
  private judgedWhole = false;

  /** The Then step: judges the observation and records the decision; anything but a pass stops the scenario. */
  async judge(): Promise<'skipped' | undefined> {
    const check = this.check;
    return this.record(decideControl(check, await observeControl(this.context, check), this.target));
  }

  /**
   * Records a decision through the one verdict channel (the decision attachment) and turns it into
   * the step's outcome. The error has no stack: an auditor reads the reason, our source lines would
   * be noise, and Cucumber's stack parser, given a stack without frames, backtracks over a long
   * reason with quotes in it for seconds. So the verdict's name goes into the message instead.
   */
  record(decision: Decision): 'skipped' | undefined {
    const reason = redact(decision.reason);
    this.attach(decisionAttachmentBody({ verdict: decision.verdict, reason }), { mediaType: 'application/json', fileName: DECISION_ATTACHMENT });
    if (decision.verdict === 'passed') return undefined;
    if (decision.verdict === 'skipped') return 'skipped';
    const error = decision.verdict === 'undecided' ? new UndecidedError(reason) : new AssertionError(reason);
    error.message = `${error.name}: ${reason}`;
    error.stack = '';
    throw error;
  }

  /** Evidence goes into the report as JSON, through the redaction gate. */
  evidence(title: string, data: unknown): void {
    this.attach(JSON.stringify(redactDeep(data), null, 2), { mediaType: 'application/json', fileName: title });
  }
}

setWorldConstructor(ComplianceWorld);
