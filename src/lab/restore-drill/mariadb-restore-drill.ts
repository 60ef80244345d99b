import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MariaDbLabHandle } from '../../targets/lab-handle.js';
import type { RestoreDrillEvidence, RestoreTarget } from '../../probes/backup/restore-drill-evidence.js';
import { makeTemporaryDirectory, removeTemporaryDirectory } from '../cleanup-registry.js';
import { findExecutable } from '../executables.js';
import { launchProcessInstance, type ProcessInstance } from '../process-instance.js';
import { runCommand } from '../run-command.js';
import { ServerProcess } from '../server-process.js';
import { CANARY_ROWS_PER_PHASE, CANARY_TABLE, newRunId } from './canary.js';
import { binlogsFrom } from './binlog-chain.js';
import { DrillFinding, DrillLog, DrillStepFailed, pause } from './drill-log.js';
import type { DrillTimeouts } from './drill-timeouts.js';

const CLIENT_DIRECTORIES = ['/usr/bin', '/usr/local/bin', '/usr/local/mysql/bin'];
/** mariadb-binlog's --stop-datetime has one-second resolution: A and B each keep a second's distance from T. */
const MARGIN_MS = 50;

/**
 * Point-in-time restore of a lab MariaDB server, end to end: mariadb-backup --backup and --prepare,
 * canary rows A, the server's time T, canary rows B, the binary log holding B closed (FLUSH BINARY
 * LOGS), then --copy-back into a fresh data directory, a server on another port, and the binary logs
 * from the backup's position replayed up to T (mariadb-binlog --stop-datetime, in UTC, all files in
 * one invocation, read from the running server so that encrypted binary logs work too).
 */
export async function mariaDbRestoreDrill(lab: MariaDbLabHandle, restoreTarget: RestoreTarget, timeouts: DrillTimeouts): Promise<RestoreDrillEvidence> {
  const started = performance.now();
  const log = new DrillLog();
  const runId = newRunId();
  const evidence: RestoreDrillEvidence = {
    engine: 'mysql',
    restoreTarget,
    archivingSettings: {},
    runId,
    canaries: { before: { written: 0 }, after: { written: 0 } },
    totalMs: 0,
    steps: log.steps,
  };
  let workDirectory: string | undefined;
  let restored: ProcessInstance | undefined;
  try {
    const tools = await log.run('preparation', 'find mariadb, mariadb-backup and mariadb-binlog', async () => ({
      client: requireTool('mariadb', 'mariadb-client'),
      backup: requireTool('mariadb-backup', 'mariadb-backup'),
      binlog: requireTool('mariadb-binlog', 'mariadb-client'),
    }));
    const original = (sql: string) => rootQuery(tools.client, lab.socket, lab.database, sql, timeouts.stepMs);
    const [settings] = await log.run(
      'preparation',
      'read the binary log settings',
      () => original('SELECT @@log_bin, @@binlog_format, @@encrypt_binlog, @@binlog_expire_logs_seconds'),
      ([row]) => `log_bin=${row?.[0]}, binlog_format=${row?.[1]}, encrypt_binlog=${row?.[2]}, binlog_expire_logs_seconds=${row?.[3]}`,
    );
    const [logBin = '', binlogFormat = '', encryptBinlog = '', expireSeconds = ''] = settings ?? [];
    evidence.archivingSettings = { log_bin: logBin === '1' ? 'ON' : 'OFF', binlog_format: binlogFormat, encrypt_binlog: encryptBinlog === '1' ? 'ON' : 'OFF', binlog_expire_logs_seconds: expireSeconds };
    await log.run('archive', 'the binary log is on', async () => {
      if (logBin !== '1') throw new DrillFinding('log_bin is OFF: no change after a backup is kept, so nothing after it can be restored');
    });
    await log.run('preparation', `create the canary table ${CANARY_TABLE}`, () =>
      original(`CREATE TABLE IF NOT EXISTS ${CANARY_TABLE} (run_id VARCHAR(40) NOT NULL, phase VARCHAR(10) NOT NULL, row_index INT NOT NULL, written_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6)) ENGINE=InnoDB`),
    );

    workDirectory = await makeTemporaryDirectory('restore-drill-mariadb');
    const backupDirectory = join(workDirectory, 'backup');
    await log.run('backup', 'mariadb-backup --backup', () =>
      runCommand(tools.backup, ['--no-defaults', '--backup', `--target-dir=${backupDirectory}`, `--datadir=${lab.dataDirectory}`, `--socket=${lab.socket}`, '--user=root'], {
        cwd: workDirectory,
        timeoutMs: timeouts.commandMs,
      }),
    );
    await log.run('backup', 'mariadb-backup --prepare', () =>
      // backup-my.cnf is what the backup recorded of the server: InnoDB file sizes and, on an encrypted
      // server, the key management plugin without which the encrypted redo log cannot be read.
      runCommand(tools.backup, [`--defaults-file=${join(backupDirectory, 'backup-my.cnf')}`, '--prepare', `--target-dir=${backupDirectory}`], {
        cwd: workDirectory,
        timeoutMs: timeouts.commandMs,
      }),
    );
    const position = await log.run(
      'backup',
      'read the binary log position the backup ends at (xtrabackup_binlog_info)',
      () => backupBinlogPosition(backupDirectory),
      ({ file, position, gtid }) => `${file} at ${position}${gtid ? `, GTID ${gtid}` : ''}`,
    );

    const timeAfterA = await log.run('preparation', `commit ${CANARY_ROWS_PER_PHASE} canary rows A, then rotate the binary log`, async () => {
      await original(`${canaryInsert('before', runId)}; FLUSH BINARY LOGS`);
      evidence.canaries.before.written = CANARY_ROWS_PER_PHASE;
      return serverTime(original);
    });
    // A's events carry a second no later than timeAfterA's; T is read in a later second, and B waits for the one after T.
    await pause(untilNextSecond(timeAfterA) + MARGIN_MS);
    const targetSecond = await log.run(
      'preparation',
      "read the server's time T (UTC, whole seconds)",
      async () => (await serverTime(original)).slice(0, 19),
      (time) => `${time} UTC`,
    );
    await pause(untilNextSecond(await serverTime(original)) + MARGIN_MS);
    await log.run('preparation', `commit ${CANARY_ROWS_PER_PHASE} canary rows B, a second after T`, async () => {
      await original(canaryInsert('after', runId));
      evidence.canaries.after.written = CANARY_ROWS_PER_PHASE;
    });

    const files = await log.run(
      'archive',
      'close the binary log holding B (FLUSH BINARY LOGS) and list the binary logs from the backup position on',
      async () => {
        await original('FLUSH BINARY LOGS');
        const listed = (await original('SHOW BINARY LOGS')).map(([name]) => name ?? '').filter((name) => name !== '');
        const needed = binlogsFrom(position.file, listed);
        if (needed.missing.length > 0) {
          throw new DrillFinding(
            `the binary log chain from the backup's position has a gap: ${needed.missing.join(', ')} missing; the server lists ${listed.join(', ') || 'no binary log'}`,
          );
        }
        return needed.files;
      },
      (names) => `${names.length} files: ${names.join(', ')}`,
    );

    const stopDatetime = restoreTarget === 'between-canaries' ? targetSecond : await log.run('preparation', 'read the server time after the last commit (negative case)', async () => {
      await pause(1000 + MARGIN_MS);
      return (await serverTime(original)).slice(0, 19);
    }, (time) => `${time} UTC`);
    evidence.targetTime = `${stopDatetime} (mariadb-binlog --stop-datetime, TZ=UTC)`;

    const restoreStarted = performance.now();
    restored = await log.run(
      'restore',
      'mariadb-backup --copy-back into a fresh data directory and start a server on another port',
      () => startRestoredServer(lab, tools.backup, backupDirectory, timeouts),
      (instance) => `restored server up on 127.0.0.1:${instance.port}`,
    );
    const restoredSocket = join(restored.directory, 'mariadb.sock');
    const replayFile = join(workDirectory, 'replay.sql');
    await log.run(
      'restore',
      `replay the binary logs from ${position.file}:${position.position} up to ${stopDatetime} UTC (mariadb-binlog --read-from-remote-server, one invocation)`,
      async () => {
        await runCommand(
          tools.binlog,
          [
            '--no-defaults',
            '--read-from-remote-server',
            `--socket=${lab.socket}`,
            '--user=root',
            `--start-position=${position.position}`,
            `--stop-datetime=${stopDatetime}`,
            `--result-file=${replayFile}`,
            ...files,
          ],
          // --stop-datetime is read in the client's local time zone.
          { cwd: workDirectory, timeoutMs: timeouts.commandMs, env: { ...process.env, TZ: 'UTC' } },
        );
        const replay = await readFile(replayFile, 'utf8');
        await runCommand(tools.client, ['--no-defaults', `--socket=${restoredSocket}`, '--user=root'], { input: replay, timeoutMs: timeouts.commandMs });
        return replay.length;
      },
      (bytes) => `${bytes} bytes of SQL replayed`,
    );
    evidence.restoreMs = Math.round(performance.now() - restoreStarted);

    await log.run(
      'verification',
      'count the canary rows on the restored server',
      async () => {
        const rows = await rootQuery(tools.client, restoredSocket, lab.database, `SELECT phase, COUNT(*) FROM ${CANARY_TABLE} WHERE run_id = '${runId}' GROUP BY phase`, timeouts.stepMs);
        const count = (phase: string) => Number(rows.find(([name]) => name === phase)?.[1] ?? 0);
        evidence.canaries.before.restored = count('before');
        evidence.canaries.after.restored = count('after');
      },
      () => `A: ${evidence.canaries.before.restored} of ${evidence.canaries.before.written}; B: ${evidence.canaries.after.restored} of ${evidence.canaries.after.written}`,
    );
  } catch (error) {
    if (!(error instanceof DrillStepFailed)) throw error;
  } finally {
    await restored?.stop();
    if (workDirectory) await removeTemporaryDirectory(workDirectory);
    evidence.totalMs = Math.round(performance.now() - started);
  }
  return evidence;
}

function canaryInsert(phase: 'before' | 'after', runId: string): string {
  const rows = Array.from({ length: CANARY_ROWS_PER_PHASE }, (_, index) => `('${runId}', '${phase}', ${index + 1})`);
  return `INSERT INTO ${CANARY_TABLE} (run_id, phase, row_index) VALUES ${rows.join(', ')}`;
}

/** The server's UTC time with microseconds, as 'YYYY-MM-DD HH:MM:SS.ffffff'. */
async function serverTime(query: (sql: string) => Promise<string[][]>): Promise<string> {
  const [[time] = []] = await query('SELECT UTC_TIMESTAMP(6)');
  if (!time || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/.test(time)) throw new Error(`unexpected server time "${time}"`);
  return time;
}

function untilNextSecond(time: string): number {
  return 1000 - Math.floor(Number(time.slice(20)) / 1000);
}

/** The backup's end in the binary log: file, position and GTID, as mariadb-backup records it. */
async function backupBinlogPosition(backupDirectory: string): Promise<{ file: string; position: number; gtid?: string }> {
  const text = await readFile(join(backupDirectory, 'xtrabackup_binlog_info'), 'utf8').catch(() => '');
  const [file, position, gtid] = text.trim().split(/\s+/);
  if (!file || !position || !/^\d+$/.test(position)) throw new DrillFinding('the backup recorded no binary log position (xtrabackup_binlog_info is missing or empty)');
  return { file, position: Number(position), gtid };
}

/** The prepared backup copied into a new data directory, and a server on it (no binary log, no TLS: reached by socket only). */
function startRestoredServer(lab: MariaDbLabHandle, backupTool: string, backupDirectory: string, timeouts: DrillTimeouts): Promise<ProcessInstance> {
  return launchProcessInstance('restore-drill-mariadb-restored', async (directory, port) => {
    const dataDirectory = join(directory, 'data');
    await runCommand(backupTool, ['--no-defaults', '--copy-back', `--target-dir=${backupDirectory}`, `--datadir=${dataDirectory}`], {
      cwd: directory,
      timeoutMs: timeouts.commandMs,
    });
    return ServerProcess.start({
      label: 'restored mysql (MariaDB) server (restore drill)',
      command: lab.serverExecutable,
      args: [
        // The options the backup recorded (the key management plugin of an encrypted server among them) come first.
        `--defaults-file=${join(backupDirectory, 'backup-my.cnf')}`,
        `--datadir=${dataDirectory}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        `--socket=${join(directory, 'mariadb.sock')}`,
        `--pid-file=${join(directory, 'mariadb.pid')}`,
        `--tmpdir=${directory}`,
        '--skip-log-bin',
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
        ...lab.innodbOptions,
      ],
      cwd: directory,
      env: { ...process.env },
      readyPattern: /ready for connections/,
      stopSignal: 'SIGKILL',
      startTimeoutMs: timeouts.restoreStartMs,
    });
  });
}

/** root over the server's unix socket, by its OS identity (unix_socket): no password exists to leak. */
async function rootQuery(client: string, socket: string, database: string, sql: string, timeoutMs: number): Promise<string[][]> {
  const output = await runCommand(client, ['--no-defaults', `--socket=${socket}`, '--user=root', '--batch', '--skip-column-names', `--database=${database}`], {
    input: `${sql};\n`,
    timeoutMs,
  });
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

function requireTool(name: string, debianPackage: string): string {
  const found = findExecutable(name, CLIENT_DIRECTORIES);
  if (!found) throw new Error(`${name} is not installed (Debian package ${debianPackage}; scripts/install-debian-packages.sh installs it)`);
  return found;
}
