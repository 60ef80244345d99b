import type { Envelope, TestStepResult } from '@cucumber/messages';
import { controlIdsOfTags } from '../controls/catalogue.js';
import { SKIP_NOTE, type Verdict } from '../controls/verdict.js';

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

/** File name of the attachment in which a step records its judgement ({verdict, reason}). */
export const JUDGEMENT_ATTACHMENT = 'judgement';

const STEP_NOT_RUNNABLE = new Set(['UNDEFINED', 'AMBIGUOUS', 'PENDING', 'UNKNOWN']);

/** Folds the Cucumber message stream of one run into one verdict per scenario. */
export class ScenarioResultCollector {
  private readonly features = new Map<string, string>();
  private readonly scenarioLines = new Map<string, number>();
  private readonly pickles = new Map<string, PickleInfo>();
  private readonly testCases = new Map<string, string>();
  private readonly started = new Map<string, { testCaseId: string; at: number }>();
  private readonly steps = new Map<string, TestStepResult[]>();
  private readonly skipNotes = new Map<string, string>();
  private readonly judgements = new Map<string, string[]>();
  readonly results: ScenarioResult[] = [];

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
      this.steps.get(envelope.testStepFinished.testCaseStartedId)?.push(envelope.testStepFinished.testStepResult);
    } else if (envelope.attachment?.fileName === SKIP_NOTE && envelope.attachment.testCaseStartedId) {
      this.skipNotes.set(envelope.attachment.testCaseStartedId, JSON.parse(envelope.attachment.body).reason);
    } else if (envelope.attachment?.fileName === JUDGEMENT_ATTACHMENT && envelope.attachment.testCaseStartedId) {
      const id = envelope.attachment.testCaseStartedId;
      this.judgements.set(id, [...(this.judgements.get(id) ?? []), JSON.parse(envelope.attachment.body).reason]);
    } else if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      this.finish(envelope.testCaseFinished.testCaseStartedId, envelope.testCaseFinished.timestamp);
    }
  }

  private finish(testCaseStartedId: string, timestamp: { seconds: number; nanos: number }): void {
    const started = this.started.get(testCaseStartedId);
    const pickle = started && this.pickles.get(this.testCases.get(started.testCaseId) ?? '');
    if (!started || !pickle) return;
    const outcome = this.verdictOf(this.steps.get(testCaseStartedId) ?? [], this.skipNotes.get(testCaseStartedId), this.judgements.get(testCaseStartedId));
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

  private verdictOf(steps: TestStepResult[], skipNote: string | undefined, judgements: string[] = []): { verdict: Verdict; reason?: string } {
    const decisive = steps.find((step) => step.status !== 'PASSED');
    if (!decisive) return steps.length > 0 ? { verdict: 'passed', reason: judgements.join(' | ') || undefined } : { verdict: 'undecided', reason: 'no step ran' };
    const message = decisive.exception?.message ?? decisive.message?.split('\n')[0];
    if (decisive.status === 'SKIPPED') return { verdict: 'skipped', reason: skipNote ?? 'skipped' };
    if (decisive.status === 'FAILED') {
      // Only an assertion about the server is evidence against it; any other exception means we could not look.
      if (decisive.exception?.type === 'AssertionError') return { verdict: 'failed', reason: message };
      if (decisive.exception?.type === 'UndecidedError') return { verdict: 'undecided', reason: message };
      return { verdict: 'undecided', reason: `the harness could not decide: ${decisive.exception?.type ?? 'error'}: ${message}` };
    }
    if (STEP_NOT_RUNNABLE.has(decisive.status)) return { verdict: 'undecided', reason: `a step is ${decisive.status.toLowerCase()}` };
    return { verdict: 'undecided', reason: `unexpected step status ${decisive.status}` };
  }
}
