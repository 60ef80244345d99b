import { execFile } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import type { LogSourceDeclaration } from '../../targets/target.js';
import type { LogReader } from './log-reader.js';

/** At most this much of each file (its end) is searched on one read: a log can be gigabytes. */
const MAX_READ_BYTES = 16 * 1024 * 1024;

/** Where a file stood when the harness last looked, so a poll reads only what came after. */
export interface LogPosition {
  sizes: Record<string, number>;
}

/**
 * The server's log or audit trail as the target declares it: files on this machine, or a command
 * that prints it. Every read has a timeout; any failure to read is thrown, for the check to turn
 * into an undecided verdict ("unreadable"), never a pass.
 */
export class LogSource implements LogReader<LogPosition> {
  private constructor(
    private readonly declaration: LogSourceDeclaration,
    private readonly timeoutMs: number,
  ) {}

  static from(declaration: LogSourceDeclaration, timeoutMs: number): LogSource {
    if ((declaration.files?.length ?? 0) === 0 && (declaration.command?.length ?? 0) === 0) throw new Error('the log source declares neither files nor a command');
    return new LogSource(declaration, timeoutMs);
  }

  /** How evidence names the source, e.g. "files /var/log/postgresql/x.log" or "command journalctl -u postgresql". */
  describe(): string {
    return this.declaration.files?.length ? `file${this.declaration.files.length > 1 ? 's' : ''} ${this.declaration.files.join(', ')}` : `command ${this.declaration.command!.join(' ')}`;
  }

  /** Where every file ends now; a command has no position (it is read whole each time). */
  async position(): Promise<LogPosition> {
    const sizes: Record<string, number> = {};
    for (const file of this.declaration.files ?? []) sizes[file] = (await stat(file)).size;
    return { sizes };
  }

  /** Everything the source holds now (the last MAX_READ_BYTES of each file): for the check that the marker is not there yet. */
  readAll(): Promise<string> {
    return this.read(undefined);
  }

  /** What was written after `since` (a file that shrank was rotated: read from its start). */
  readSince(since: LogPosition): Promise<string> {
    return this.read(since);
  }

  private async read(since: LogPosition | undefined): Promise<string> {
    if (this.declaration.command?.length) return this.runCommand(this.declaration.command);
    const parts: string[] = [];
    for (const file of this.declaration.files ?? []) parts.push(await readFileFrom(file, since?.sizes[file] ?? 0));
    return parts.join('\n');
  }

  private runCommand([command, ...args]: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(command, args, { timeout: this.timeoutMs, maxBuffer: MAX_READ_BYTES, encoding: 'utf8', windowsHide: true }, (error, stdout, stderr) => {
        if (error) reject(new Error(`the log command ${command} ${commandFailure(error, stderr, this.timeoutMs)}`));
        else resolve(stdout);
      });
    });
  }
}

/** Why a log command gave no log, in words that say what to change. */
function commandFailure(error: Error & { code?: string | number | null; killed?: boolean; signal?: NodeJS.Signals | null }, stderr: string, timeoutMs: number): string {
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return `printed more than ${MAX_READ_BYTES / 1024 / 1024} MiB: bound what it prints (e.g. journalctl -n 100000 or --since), since it is read whole on every poll`;
  }
  if (error.killed && error.signal) return `did not finish within ${timeoutMs} ms (stopped with ${error.signal}); a log command must print and exit, not follow the log`;
  const said = stderr.trim().split('\n')[0];
  if (typeof error.code === 'number') return `exited with status ${error.code}${said ? `: ${said}` : ''}`;
  return `failed: ${error.message.split('\n')[0]}`;
}

async function readFileFrom(file: string, offset: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(size < offset ? 0 : offset, size - MAX_READ_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
