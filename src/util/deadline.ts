export class DeadlineExceeded extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Runs an operation that cannot hang the harness: after `ms` the signal aborts (so the operation can
 * close its sockets) and the promise rejects with DeadlineExceeded, whatever the operation does.
 */
export async function withDeadline<T>(ms: number, what: string, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineExceeded(what, ms));
    }, ms);
  });
  const running = operation(controller.signal);
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
