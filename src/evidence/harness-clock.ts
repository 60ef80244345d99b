import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * How far the harness's clock is from true time, as the operating system's time service knows it.
 * The harness asks; it never measures against a network time server itself (a run may have no
 * network beyond its targets). `offsetMs` is harness clock minus the time source; when no source
 * answers it is the word 'unknown' with each source's answer as the reason, never a guessed 0.
 */
export type HarnessClockOffset =
  | {
      offsetMs: number;
      /** The tool that answered, e.g. "chronyc tracking". */
      source: string;
      /** The time source that tool follows (an NTP server's name or address), when it says. */
      reference?: string;
      /** The tool's own bound on the error of that offset (root delay / 2 + root dispersion). */
      errorBoundMs?: number;
      readAt: string;
    }
  | {
      offsetMs: 'unknown';
      reason: string;
      /** When the kernel says a daemon disciplines the clock: its bound on the error, though not the offset. */
      kernelMaxErrorMs?: number;
      readAt: string;
    };

/** Each source's command is cut off after this: the manifest must never wait on a hung daemon. */
export const CLOCK_SOURCE_TIMEOUT_MS = 2000;

type SourceAnswer = { offsetMs: number; reference?: string; errorBoundMs?: number } | { problem: string; kernelMaxErrorMs?: number };

interface ClockSource {
  name: string;
  command: string;
  args: string[];
  parse: (stdout: string) => SourceAnswer;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * `chronyc -c tracking`, one CSV line: reference id, name, stratum, ref time, system time (seconds;
 * positive when the system clock is SLOW of NTP time), last offset, RMS offset, frequency, residual
 * frequency, skew, root delay, root dispersion, update interval, leap status.
 */
export function parseChronyTracking(stdout: string): SourceAnswer {
  const fields = stdout.trim().split('\n')[0]?.split(',') ?? [];
  if (fields.length < 14) return { problem: `unexpected output (${fields.length} fields)` };
  const correction = Number(fields[4]);
  const rootDelay = Number(fields[10]);
  const rootDispersion = Number(fields[11]);
  const leap = fields[13];
  if (!Number.isFinite(correction)) return { problem: `system time "${fields[4]}" is not a number` };
  if (/not synchronised/i.test(leap) || /^0+$/.test(fields[0])) return { problem: `chronyd is not synchronised (leap status "${leap}")` };
  return {
    offsetMs: round(-correction * 1000),
    reference: fields[1] || fields[0],
    ...(Number.isFinite(rootDelay) && Number.isFinite(rootDispersion) ? { errorBoundMs: round((rootDelay / 2 + rootDispersion) * 1000) } : {}),
  };
}

const TIMESPAN_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, min: 60_000 };

/** systemd's timespans as timedatectl prints them: "+1.234ms", "-345us", "1min 2.5s". */
function timespanMs(text: string): number | undefined {
  const sign = text.trim().startsWith('-') ? -1 : 1;
  const parts = [...text.replace(/^[+-]/, '').matchAll(/([\d.]+)\s*(ns|us|µs|ms|s|min)\b/g)];
  if (parts.length === 0) return undefined;
  return sign * parts.reduce((sum, [, value, unit]) => sum + Number(value) * TIMESPAN_UNITS[unit], 0);
}

/**
 * `timedatectl timesync-status` (systemd-timesyncd): "Offset" is NTP's ((T2-T1)+(T3-T4))/2, the
 * server's clock minus this one, so the harness's offset is its negation.
 */
export function parseTimesyncStatus(stdout: string): SourceAnswer {
  const field = (name: string) => stdout.match(new RegExp(`^\\s*${name}:\\s*(.+)$`, 'm'))?.[1].trim();
  const offset = field('Offset');
  const offsetMs = offset ? timespanMs(offset) : undefined;
  if (offsetMs === undefined) return { problem: 'no offset reported (no server answered yet)' };
  const rootDistance = field('Root distance');
  const errorBoundMs = rootDistance ? timespanMs(rootDistance.split('(')[0]) : undefined;
  return { offsetMs: round(-offsetMs), reference: field('Server'), ...(errorBoundMs !== undefined ? { errorBoundMs: round(errorBoundMs) } : {}) };
}

/** `ntpq -c "rv 0 leap,offset,rootdelay,rootdisp"` (ntpd, NTPsec): offset in ms, server minus this clock. */
export function parseNtpqVariables(stdout: string): SourceAnswer {
  const variables = Object.fromEntries([...stdout.matchAll(/(\w+)=("?)([^,"\n]*)\2/g)].map(([, name, , value]) => [name, value.trim()]));
  if (variables.leap === '11' || variables.leap === 'alarm') return { problem: 'ntpd is not synchronised (leap 11)' };
  const offset = Number(variables.offset);
  if (variables.offset === undefined || !Number.isFinite(offset)) return { problem: 'no offset variable' };
  const rootDelay = Number(variables.rootdelay);
  const rootDispersion = Number(variables.rootdisp);
  return { offsetMs: round(-offset), ...(Number.isFinite(rootDelay) && Number.isFinite(rootDispersion) ? { errorBoundMs: round(rootDelay / 2 + rootDispersion) } : {}) };
}

const STA_UNSYNC = 0x40;

/**
 * The kernel's NTP state (adjtimex(2), read-only: `status`, `maxerror` and `esterror` in µs). It
 * knows whether a daemon disciplines the clock and a bound on the error, never the offset itself;
 * a container shares its host's kernel, so this answers where the host's daemon cannot be asked.
 */
export function parseKernelTimex(stdout: string): SourceAnswer {
  const number = (name: string) => Number(stdout.match(new RegExp(`^\\s*${name}:\\s*(-?\\d+)`, 'm'))?.[1]);
  const status = number('status');
  const maxError = number('maxerror');
  if (!Number.isFinite(status)) return { problem: 'unexpected output' };
  if (status & STA_UNSYNC) return { problem: `the kernel marks the clock unsynchronised (STA_UNSYNC; maxerror ${Number.isFinite(maxError) ? `${maxError / 1000} ms` : 'unknown'})` };
  return { problem: `the kernel says a daemon keeps the clock synchronised (maxerror ${maxError / 1000} ms) but gives no offset`, ...(Number.isFinite(maxError) ? { kernelMaxErrorMs: maxError / 1000 } : {}) };
}

/** Reads struct timex with modes 0 (changes nothing, needs no privilege), for machines without the adjtimex tool. */
const PYTHON_ADJTIMEX = `
import ctypes
class T(ctypes.Structure):
    _fields_ = [("modes", ctypes.c_uint), ("offset", ctypes.c_long), ("freq", ctypes.c_long), ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long), ("status", ctypes.c_int), ("rest", ctypes.c_long * 40)]
t = T()
if ctypes.CDLL(None).adjtimex(ctypes.byref(t)) < 0: raise SystemExit("adjtimex failed")
print("status: %d\\nmaxerror: %d\\nesterror: %d" % (t.status, t.maxerror, t.esterror))
`;

/**
 * The distribution's own interpreter when there is one: a `python3` found on PATH may be a version
 * manager's shim (pyenv's runs a dozen shell scripts, 0.2 s of CPU, before Python starts).
 */
function systemPython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

const SOURCES: ClockSource[] = [
  { name: 'chronyc tracking', command: 'chronyc', args: ['-n', '-c', 'tracking'], parse: parseChronyTracking },
  { name: 'timedatectl timesync-status', command: 'timedatectl', args: ['timesync-status', '--no-pager'], parse: parseTimesyncStatus },
  { name: 'ntpq rv', command: 'ntpq', args: ['-n', '-c', 'rv 0 leap,offset,rootdelay,rootdisp'], parse: parseNtpqVariables },
  { name: 'adjtimex --print', command: 'adjtimex', args: ['--print'], parse: parseKernelTimex },
  { name: 'kernel adjtimex(2) via python3', command: systemPython(), args: ['-I', '-S', '-c', PYTHON_ADJTIMEX], parse: parseKernelTimex },
];

/**
 * Whether a command can be run, looked up as execvp would: most machines have one time service or
 * none, and starting a process only to hear ENOENT costs a fork of the whole harness (10-20 ms of
 * its CPU on the machines measured) for each absent tool.
 */
function installed(command: string): boolean {
  const runnable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (command.includes('/')) return runnable(command);
  // Unset, execvp looks in the default path, and so does this.
  return (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).some((dir) => dir !== '' && runnable(join(dir, command)));
}

function ask(source: ClockSource): Promise<SourceAnswer> {
  if (!installed(source.command)) return Promise.resolve({ problem: 'not installed' });
  return new Promise((resolve) => {
    execFile(source.command, source.args, { timeout: CLOCK_SOURCE_TIMEOUT_MS, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      if (error) {
        const cause = (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'not installed'
          : error.killed
            ? `no answer within ${CLOCK_SOURCE_TIMEOUT_MS} ms`
            : (stderr.trim().split('\n').join(' / ') || error.message).slice(0, 200);
        resolve({ problem: cause });
        return;
      }
      try {
        resolve(source.parse(stdout));
      } catch (parseError) {
        resolve({ problem: `unreadable answer: ${(parseError as Error).message}` });
      }
    });
  });
}

/** Asks every source at once (each bounded); the first in order that gives an offset is the answer. */
export async function harnessClockOffset(sources: ClockSource[] = SOURCES): Promise<HarnessClockOffset> {
  const readAt = new Date().toISOString();
  const answers = await Promise.all(sources.map(ask));
  const index = answers.findIndex((answer) => 'offsetMs' in answer);
  if (index >= 0) {
    const answer = answers[index] as Extract<SourceAnswer, { offsetMs: number }>;
    return { offsetMs: answer.offsetMs, source: sources[index].name, ...(answer.reference ? { reference: answer.reference } : {}), ...(answer.errorBoundMs !== undefined ? { errorBoundMs: answer.errorBoundMs } : {}), readAt };
  }
  const problems = answers as Array<Extract<SourceAnswer, { problem: string }>>;
  const kernelMaxErrorMs = problems.find((answer) => answer.kernelMaxErrorMs !== undefined)?.kernelMaxErrorMs;
  return {
    offsetMs: 'unknown',
    reason: `no time service answered with an offset: ${problems.map((answer, at) => `${sources[at].name}: ${answer.problem}`).join('; ')}`,
    ...(kernelMaxErrorMs !== undefined ? { kernelMaxErrorMs } : {}),
    readAt,
  };
}

export type { ClockSource };
