import type { Envelope, TestStepResult } from '@cucumber/messages';
import { controlIdsOfTags } from '../controls/catalogue.js';
import { worstOf, type Decision, type Verdict } from '../controls/verdict.js';
import { readDecisionAttachment } from './decision-attachment.js';

export interface ScenarioResult {
  name: string;
  feature: string;
  uri: string;
  line?: number;
  controls: string[];
  verdict: Verdict;
  reason?: string;
  durationMs: number;
}

interface PickleInfo {
  name: string;
  uri: string;
  tags: string[];
  astNodeId?: string;
}

const STEP_NOT_RUNNABLE = new Set(['UNDEFINED', 'AMBIGUOUS', 'PENDING', 'UNKNOWN']);

/** Folds the Cucumber message stream of one run into one verdict per scenario. */
export class ScenarioResultCollector {
  private readonly features = new Map<string, string>();
  private readonly scenarioLines = new Map<string, number>();
  private readonly pickles = new Map<string, PickleInfo>();
  private readonly testCases = new Map<string, string>();
  private readonly started = new Map<string, { testCaseId: string; at: number }>();
  private readonly steps = new Map<string, Array<{ testStepId: string; result: TestStepResult }>>();
  /** Decisions by test case attempt, each with the step (or hook) that made it. */
  private readonly decisions = new Map<string, Array<{ testStepId?: string; decision: Decision }>>();
  readonly results: ScenarioResult[] = [];
  /** Each finished attempt's verdict and reason, by testCaseStartedId: what the JUnit report states for it. */
  readonly outcomesByAttempt = new Map<string, { verdict: Verdict; reason?: string }>();

  accept(envelope: Envelope): void {
    if (envelope.gherkinDocument?.feature && envelope.gherkinDocument.uri) {
      const { feature, uri } = envelope.gherkinDocument;
      this.features.set(uri, feature.name);
      for (const child of feature.children) {
        if (child.scenario) this.scenarioLines.set(child.scenario.id, child.scenario.location.line);
      }
    } else if (envelope.pickle) {
      const { id, name, uri, tags, astNodeIds } = envelope.pickle;
      this.pickles.set(id, { name, uri, tags: tags.map((tag) => tag.name), astNodeId: astNodeIds[0] });
    } else if (envelope.testCase) {
      this.testCases.set(envelope.testCase.id, envelope.testCase.pickleId);
    } else if (envelope.testCaseStarted) {
      const { id, testCaseId, timestamp } = envelope.testCaseStarted;
      this.started.set(id, { testCaseId, at: timestamp.seconds * 1000 + timestamp.nanos / 1e6 });
      this.steps.set(id, []);
    } else if (envelope.testStepFinished) {
      const { testCaseStartedId, testStepId, testStepResult } = envelope.testStepFinished;
      this.steps.get(testCaseStartedId)?.push({ testStepId, result: testStepResult });
    } else if (envelope.attachment?.testCaseStartedId) {
      const decision = readDecisionAttachment(envelope.attachment);
      const id = envelope.attachment.testCaseStartedId;
      if (decision) this.decisions.set(id, [...(this.decisions.get(id) ?? []), { testStepId: envelope.attachment.testStepId, decision }]);
    } else if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      this.finish(envelope.testCaseFinished.testCaseStartedId, envelope.testCaseFinished.timestamp);
    }
  }

  private finish(testCaseStartedId: string, timestamp: { seconds: number; nanos: number }): void {
    const started = this.started.get(testCaseStartedId);
    const pickle = started && this.pickles.get(this.testCases.get(started.testCaseId) ?? '');
    if (!started || !pickle) return;
    const outcome = this.verdictOf(this.steps.get(testCaseStartedId) ?? [], this.decisions.get(testCaseStartedId) ?? []);
    this.outcomesByAttempt.set(testCaseStartedId, outcome);
    this.results.push({
      name: pickle.name,
      feature: this.features.get(pickle.uri) ?? pickle.uri,
      uri: pickle.uri,
      line: pickle.astNodeId ? this.scenarioLines.get(pickle.astNodeId) : undefined,
      controls: controlIdsOfTags(pickle.tags),
      ...outcome,
      durationMs: Math.round(timestamp.seconds * 1000 + timestamp.nanos / 1e6 - started.at),
    });
  }

  /**
   * The scenario's verdict is the worst of its decisions, and of every step that did not pass
   * without having made one (an error in our own code, an undefined step): those leave it
   * undecided. A scenario in which nothing was decided is undecided too, never passed.
   */
  private verdictOf(steps: Array<{ testStepId: string; result: TestStepResult }>, decisions: Array<{ testStepId?: string; decision: Decision }>): { verdict: Verdict; reason?: string } {
    const decidedBy = new Set(decisions.map((entry) => entry.testStepId));
    const outcomes: Decision[] = decisions.map((entry) => entry.decision);
    for (const { testStepId, result } of steps) {
      if (decidedBy.has(testStepId) || result.status === 'PASSED' || result.status === 'SKIPPED') continue;
      const message = result.exception?.message ?? result.message?.split('\n')[0];
      if (result.status === 'FAILED') outcomes.push({ verdict: 'undecided', reason: `the harness could not decide: ${result.exception?.type ?? 'error'}: ${message}` });
      else if (STEP_NOT_RUNNABLE.has(result.status)) outcomes.push({ verdict: 'undecided', reason: `a step is ${result.status.toLowerCase()}` });
      else outcomes.push({ verdict: 'undecided', reason: `unexpected step status ${result.status}` });
    }
    const verdict = worstOf(outcomes.map((outcome) => outcome.verdict));
    if (!verdict) return { verdict: 'undecided', reason: steps.length > 0 ? 'no step decided the control' : 'no step ran' };
    const reasons = [...new Set(outcomes.filter((outcome) => outcome.verdict === verdict && outcome.reason).map((outcome) => outcome.reason))];
    return { verdict, reason: reasons.join(' | ') || undefined };
  }
}
