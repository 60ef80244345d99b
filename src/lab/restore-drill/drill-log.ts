import type { DrillStage, DrillStep } from '../../probes/backup/restore-drill-evidence.js';

/** Ends the drill at the step that failed; the steps so far are the evidence. */
export class DrillStepFailed extends Error {
  constructor(readonly step: DrillStep) {
    super(`${step.step} failed: ${step.detail ?? ''}`);
    this.name = 'DrillStepFailed';
  }
}

/** A failure the drill itself finds (not a thrown tool error), with what it saw. */
export class DrillFinding extends Error {
  override readonly name = 'DrillFinding';
}

const MAX_DETAIL_LINES = 12;

/** Times each step of the drill and records its outcome, in order. */
export class DrillLog {
  readonly steps: DrillStep[] = [];

  /**
   * Runs one step. `describe` turns its result into the step's detail. When the step throws, it is
   * recorded as failed with the error's last lines, and DrillStepFailed ends the drill.
   */
  async run<T>(stage: DrillStage, step: string, action: () => Promise<T>, describe?: (result: T) => string | undefined): Promise<T> {
    const started = performance.now();
    try {
      const result = await action();
      this.steps.push({ stage, step, outcome: 'ok', ms: Math.round(performance.now() - started), detail: describe?.(result) });
      return result;
    } catch (error) {
      const record: DrillStep = { stage, step, outcome: 'failed', ms: Math.round(performance.now() - started), detail: errorDetail(error) };
      this.steps.push(record);
      throw new DrillStepFailed(record);
    }
  }
}

function errorDetail(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.trim().split('\n');
  return lines.length <= MAX_DETAIL_LINES ? lines.join('\n') : [lines[0], '…', ...lines.slice(-(MAX_DETAIL_LINES - 2))].join('\n');
}

/** Waits, keeping the event loop alive (the lab's processes are unreferenced). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
