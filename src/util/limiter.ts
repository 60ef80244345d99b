/** At most `slots` holders at once; the others wait their turn, first come first served. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error(`a limiter needs at least one slot, got ${slots}`);
  }

  /** Waits for a slot; the function returned gives it back (a second call does nothing). */
  async acquire(): Promise<() => void> {
    if (this.active >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next in line, or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  /** A slot if one is free now (the function that gives it back), or undefined: never waits, never jumps the queue. */
  tryAcquire(): (() => void) | undefined {
    if (this.active >= this.slots) return undefined;
    this.active++;
    return this.releaser();
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
