import type { TargetResult } from '../report/results-document.js';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

/**
 * "targets 12/40 done, 3 with failures, 1 undecided, 18 s" for runs of more than one target. On a
 * terminal it is one line rewritten in place (stderr, so stdout stays the summary); elsewhere
 * (CI logs) it is off unless asked for, and then a plain line per finished target.
 */
export class ProgressLine {
  private done = 0;
  private failing = 0;
  private undecided = 0;
  private shown = false;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly mode: 'tty' | 'lines' | 'off',
  ) {}

  static choose(total: number, stream: ProgressStream, asked: boolean | undefined): ProgressLine {
    const mode = total < 2 || asked === false ? 'off' : stream.isTTY ? 'tty' : asked ? 'lines' : 'off';
    return new ProgressLine(total, stream, mode);
  }

  text(): string {
    const seconds = Math.round((performance.now() - this.started) / 1000);
    return `targets ${this.done}/${this.total} done, ${this.failing} with failures, ${this.undecided} with undecided controls, ${seconds} s`;
  }

  /** Call before printing anything else on the terminal, so the line does not end up inside it. */
  clear(): void {
    if (this.mode === 'tty' && this.shown) {
      this.stream.write('\r\x1b[2K');
      this.shown = false;
    }
  }

  /** On a terminal, the line is there from the start; in a log, a line saying nothing is done is noise. */
  start(): void {
    if (this.mode === 'tty') this.show();
  }

  targetDone(result: TargetResult): void {
    this.done++;
    const verdicts = Object.values(result.controls);
    if (verdicts.includes('failed') || result.error) this.failing++;
    if (verdicts.includes('undecided')) this.undecided++;
    this.show();
  }

  show(): void {
    if (this.mode === 'tty') {
      this.stream.write(`\r\x1b[2K${this.text()}`);
      this.shown = true;
    } else if (this.mode === 'lines') {
      this.stream.write(`progress: ${this.text()}\n`);
    }
  }

  finish(): void {
    this.clear();
  }
}
