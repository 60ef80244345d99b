import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harnessClockOffset, parseChronyTracking, parseKernelTimex, parseNtpqVariables, parseTimesyncStatus, type ClockSource } from '../../src/evidence/harness-clock.js';

test('chronyc: "System time" is positive when the clock is slow, so the harness offset is its negation, bounded by root delay / 2 + dispersion', () => {
  // The line chrony 4 prints for `chronyc -n -c tracking` (system time 12.345 µs slow of NTP time).
  const line = 'A29FC87B,162.159.200.123,3,1764500000.123456789,0.000012345,0.000001234,0.000023456,-12.345,0.001,0.123,0.020000000,0.001000000,64.5,Normal\n';
  assert.deepEqual(parseChronyTracking(line), { offsetMs: -0.012, reference: '162.159.200.123', errorBoundMs: 11 });
  const unsynchronised = '00000000,,0,0.000000000,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,1.000000000,1.000000000,0.0,Not synchronised\n';
  assert.match((parseChronyTracking(unsynchronised) as { problem: string }).problem, /not synchronised/);
});

test('timedatectl timesync-status: "Offset" is server minus local in systemd timespans', () => {
  const status = [
    '       Server: 192.0.2.10 (ntp.example.org)',
    'Poll interval: 34min 8s (min: 32s; max 34min 8s)',
    '         Leap: normal',
    '      Stratum: 2',
    'Root distance: 1.5ms (max: 5s)',
    '       Offset: +2.413ms',
    '        Delay: 1.234ms',
  ].join('\n');
  assert.deepEqual(parseTimesyncStatus(status), { offsetMs: -2.413, reference: '192.0.2.10 (ntp.example.org)', errorBoundMs: 1.5 });
  assert.equal((parseTimesyncStatus(status.replace('+2.413ms', '-345us')) as { offsetMs: number }).offsetMs, 0.345);
  assert.match((parseTimesyncStatus('       Server: n/a\n') as { problem: string }).problem, /no offset/);
});

test('ntpq: offset in ms, server minus local; leap 11 is unsynchronised', () => {
  assert.deepEqual(parseNtpqVariables('leap=00, offset=-0.250, rootdelay=10.000, rootdisp=2.000\n'), { offsetMs: 0.25, errorBoundMs: 7 });
  assert.match((parseNtpqVariables('leap=11, offset=0.000, rootdelay=0.000, rootdisp=0.000\n') as { problem: string }).problem, /not synchronised/);
});

test('the kernel knows synchronised or not and an error bound, never an offset', () => {
  assert.match((parseKernelTimex('status: 64\nmaxerror: 16000000\nesterror: 16000000\n') as { problem: string }).problem, /unsynchronised \(STA_UNSYNC; maxerror 16000 ms\)/);
  assert.deepEqual(parseKernelTimex('status: 8193\nmaxerror: 250000\nesterror: 10\n'), { problem: 'the kernel says a daemon keeps the clock synchronised (maxerror 250 ms) but gives no offset', kernelMaxErrorMs: 250 });
});

test('no source answering gives "unknown" with every source named, never 0; the first source with an offset wins', async () => {
  const missing: ClockSource = { name: 'missing tool', command: 'dbcomply-no-such-clock-tool', args: [], parse: parseChronyTracking };
  const kernel: ClockSource = { name: 'kernel', command: process.execPath, args: ['-e', 'console.log("status: 64\\nmaxerror: 16000000")'], parse: parseKernelTimex };
  const unknown = await harnessClockOffset([missing, kernel]);
  assert.equal(unknown.offsetMs, 'unknown');
  assert.equal((unknown as { reason: string }).reason, 'no time service answered with an offset: missing tool: not installed; kernel: the kernel marks the clock unsynchronised (STA_UNSYNC; maxerror 16000 ms)');
  const chrony: ClockSource = { name: 'chrony', command: process.execPath, args: ['-e', 'console.log("A,ntp.example,2,0,-0.5,0,0,0,0,0,0.002,0.001,64,Normal")'], parse: parseChronyTracking };
  assert.deepEqual({ ...(await harnessClockOffset([missing, chrony, kernel])), readAt: undefined }, { offsetMs: 500, source: 'chrony', reference: 'ntp.example', errorBoundMs: 2, readAt: undefined });
});

test('a source that hangs is cut off within its bound', async () => {
  const hung: ClockSource = { name: 'hung', command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'], parse: parseChronyTracking };
  const started = performance.now();
  const answer = await harnessClockOffset([hung]);
  assert.ok(performance.now() - started < 5000);
  assert.match((answer as { reason: string }).reason, /hung: no answer within 2000 ms/);
});

test('on this machine: an offset with its source, or unknown with a reason per source', async () => {
  const answer = await harnessClockOffset();
  if (answer.offsetMs === 'unknown') {
    for (const source of ['chronyc tracking', 'timedatectl timesync-status', 'ntpq rv', 'adjtimex --print']) assert.match(answer.reason, new RegExp(`${source}: \\S`));
  } else {
    assert.ok(Number.isFinite(answer.offsetMs) && answer.source.length > 0);
  }
});
