import pg from 'pg';
import { access, chown, constants, mkdir, readdir, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PostgresLabHandle } from '../../targets/lab-handle.js';
import type { RestoreDrillEvidence, RestoreTarget } from '../../probes/backup/restore-drill-evidence.js';
import { makeTemporaryDirectory, removeTemporaryDirectory } from '../cleanup-registry.js';
import { launchProcessInstance, type ProcessInstance } from '../process-instance.js';
import { postgresConfLine } from '../postgres-settings.js';
import { runCommand } from '../run-command.js';
import { ServerProcess } from '../server-process.js';
import { CANARY_ROWS_PER_PHASE, CANARY_TABLE, newRunId } from './canary.js';
import { DrillFinding, DrillLog, DrillStepFailed, pause } from './drill-log.js';
import type { DrillTimeouts } from './drill-timeouts.js';

/**
 * Point-in-time restore of a lab PostgreSQL server, end to end: a base backup (pg_basebackup -Xs,
 * checked with pg_verifybackup), canary rows A, the server's time T, canary rows B, B's WAL segment
 * switched out and archived (pg_stat_archiver), then the backup restored into a fresh data directory
 * on another port with restore_command and recovery_target_time = T, promoted, and asked for A and B.
 */
export async function postgresRestoreDrill(lab: PostgresLabHandle, port: number, restoreTarget: RestoreTarget, timeouts: DrillTimeouts): Promise<RestoreDrillEvidence> {
  const started = performance.now();
  const log = new DrillLog();
  const runId = newRunId();
  const evidence: RestoreDrillEvidence = {
    engine: 'postgres',
    restoreTarget,
    archivingSettings: {},
    runId,
    canaries: { before: { written: 0 }, after: { written: 0 } },
    totalMs: 0,
    steps: log.steps,
  };
  const asServerUser = { uid: lab.runAs?.uid, gid: lab.runAs?.gid };
  let workDirectory: string | undefined;
  let restored: ProcessInstance | undefined;
  const admin = adminSession(lab, port, lab.socketDirectory, timeouts.stepMs);
  try {
    // A build without the backup tools (the embedded 13-18 builds ship the server alone) says
    // nothing about the server's backups: a preparation step, so the drill is undecided, not failed.
    await log.run('preparation', `the drill's tools are installed beside the server (${DRILL_TOOLS.join(', ')})`, async () => {
      const missing = (await Promise.all(DRILL_TOOLS.map((tool) => access(join(lab.binDirectory, tool), constants.X_OK).then(() => undefined, () => tool)))).filter(Boolean);
      if (missing.length > 0) throw new Error(`not found in ${lab.binDirectory}: ${missing.join(', ')}`);
    });
    await log.run('preparation', 'connect as the admin over the unix socket', () => admin.connect());
    const settings = await log.run(
      'preparation',
      'read the archiving settings',
      () => admin.row<{ archive_mode: string; archive_command: string; archive_library: string | null; wal_level: string }>(
        // archive_library came in PostgreSQL 15: missing_ok, so 13 and 14 read it as NULL instead of refusing the whole drill.
        "SELECT current_setting('archive_mode') AS archive_mode, current_setting('archive_command') AS archive_command, current_setting('archive_library', true) AS archive_library, current_setting('wal_level') AS wal_level",
      ),
      (row) => `archive_mode=${row.archive_mode}, wal_level=${row.wal_level}`,
    );
    // A setting this version does not have is shown as such, not as an empty one.
    evidence.archivingSettings = { ...settings, archive_library: settings.archive_library ?? '(no such setting before PostgreSQL 15)' };
    await log.run('archive', 'WAL archiving is on', async () => {
      // The drill would only wait out its timeout for an archive that never fills.
      if (settings.archive_mode === 'off') throw new DrillFinding('archive_mode is off: no WAL segment is archived, so nothing after a base backup can be restored');
      if (!lab.walArchiveDirectory) throw new DrillFinding('the lab server declares no WAL archive directory to restore from');
    });
    await log.run('preparation', `create the canary table ${CANARY_TABLE}`, () =>
      admin.query(`CREATE TABLE IF NOT EXISTS ${CANARY_TABLE} (run_id text NOT NULL, phase text NOT NULL, row_index int NOT NULL, written_at timestamptz NOT NULL DEFAULT clock_timestamp())`),
    );

    workDirectory = await makeTemporaryDirectory('restore-drill-postgres');
    if (lab.runAs) await chown(workDirectory, lab.runAs.uid, lab.runAs.gid);
    const backupDirectory = join(workDirectory, 'base-backup');
    await log.run('backup', 'pg_basebackup -Xs (WAL streamed into the backup), fast checkpoint', () =>
      runCommand(
        join(lab.binDirectory, 'pg_basebackup'),
        ['-D', backupDirectory, '-X', 'stream', '-c', 'fast', '--no-sync', '-h', lab.socketDirectory, '-p', String(port), '-U', lab.adminUser, '--no-password'],
        { ...asServerUser, cwd: workDirectory, timeoutMs: timeouts.commandMs },
      ),
    );
    await log.run('backup', 'pg_verifybackup (manifest checksums and WAL)', () =>
      runCommand(join(lab.binDirectory, 'pg_verifybackup'), [backupDirectory], { ...asServerUser, cwd: workDirectory, timeoutMs: timeouts.commandMs }),
      (output) => output.trim().split('\n').at(-1),
    );

    await log.run('preparation', `commit ${CANARY_ROWS_PER_PHASE} canary rows A, then switch WAL segments`, async () => {
      await admin.query(canaryInsert('before'), [runId]);
      evidence.canaries.before.written = CANARY_ROWS_PER_PHASE;
      // A and B in different segments: a restore then needs more than one archived segment, as real ones do.
      await admin.query('SELECT pg_switch_wal()');
    });
    // The commit timestamp of A is taken before T is read, that of B after; a pause either side keeps them apart.
    await pause(20);
    const serverTime = await log.run(
      'preparation',
      "read the server's time T",
      async () => (await admin.row<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00' AS t`)).t,
      (time) => time,
    );
    await pause(20);
    await log.run('preparation', `commit ${CANARY_ROWS_PER_PHASE} canary rows B`, async () => {
      await admin.query(canaryInsert('after'), [runId]);
      evidence.canaries.after.written = CANARY_ROWS_PER_PHASE;
    });

    await log.run(
      'archive',
      "switch out the WAL segment holding B and wait until pg_stat_archiver reports it archived",
      async () => {
        const { segment } = await admin.row<{ segment: string }>('SELECT pg_walfile_name(pg_current_wal_insert_lsn()) AS segment');
        await admin.query('SELECT pg_switch_wal()');
        const deadline = Date.now() + timeouts.archiveWaitMs;
        for (;;) {
          const archiver = await admin.row<{ last_archived_wal: string | null; archived_count: string; failed_count: string; last_failed_wal: string | null }>(
            'SELECT last_archived_wal, archived_count::text, failed_count::text, last_failed_wal FROM pg_stat_archiver',
          );
          // Segment names of one timeline sort in WAL order.
          if (archiver.last_archived_wal && archiver.last_archived_wal.slice(0, 24) >= segment) return { segment, archiver };
          if (Date.now() > deadline) {
            throw new DrillFinding(
              `segment ${segment} (holding B) not archived within ${timeouts.archiveWaitMs} ms; pg_stat_archiver: last archived ${archiver.last_archived_wal ?? 'none'}, ` +
                `${archiver.archived_count} archived, ${archiver.failed_count} failed${archiver.last_failed_wal ? `, last failed ${archiver.last_failed_wal}` : ''}`,
            );
          }
          await pause(100);
        }
      },
      ({ segment, archiver }) => `${segment} archived (pg_stat_archiver: ${archiver.archived_count} archived, ${archiver.failed_count} failed)`,
    );
    await log.run('archive', 'list the WAL archive', async () => (await readdir(lab.walArchiveDirectory!)).filter((name) => /^[0-9A-F]{24}$/.test(name)).sort(), (segments) =>
      `${segments.length} segments${segments.length ? `: ${segments[0]} .. ${segments.at(-1)}` : ''}`,
    );

    const targetTime =
      restoreTarget === 'between-canaries'
        ? serverTime
        : await log.run('preparation', 'read the server time after the last archived commit (negative case)', async () => {
            await pause(20);
            return (await admin.row<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00' AS t`)).t;
          }, (time) => time);
    evidence.targetTime = targetTime;

    const restoreStarted = performance.now();
    restored = await log.run(
      'restore',
      `restore the base backup into a fresh data directory on another port, recovery_target_time '${targetTime}', promote`,
      () => startRestoredServer(lab, backupDirectory, targetTime, timeouts),
      (instance) => `restored server up on 127.0.0.1:${instance.port}`,
    );
    evidence.restoreMs = Math.round(performance.now() - restoreStarted);
    evidence.recoveryLog = recoveryLines(restored.server.log.toString());

    const restoredAdmin = adminSession(lab, restored.port, join(restored.directory, 'socket'), timeouts.stepMs);
    try {
      await log.run(
        'verification',
        'count the canary rows on the restored server',
        async () => {
          await restoredAdmin.connect();
          const rows = await restoredAdmin.rows<{ phase: string; count: string }>(`SELECT phase, count(*)::text AS count FROM ${CANARY_TABLE} WHERE run_id = $1 GROUP BY phase`, [runId]);
          const count = (phase: string) => Number(rows.find((row) => row.phase === phase)?.count ?? 0);
          evidence.canaries.before.restored = count('before');
          evidence.canaries.after.restored = count('after');
        },
        () => `A: ${evidence.canaries.before.restored} of ${evidence.canaries.before.written}; B: ${evidence.canaries.after.restored} of ${evidence.canaries.after.written}`,
      );
    } finally {
      await restoredAdmin.end();
    }
  } catch (error) {
    if (!(error instanceof DrillStepFailed)) throw error;
    if (error.step.stage === 'restore') evidence.recoveryLog = recoveryLines(error.step.detail ?? '');
  } finally {
    await admin.end();
    await restored?.stop();
    if (workDirectory) await removeTemporaryDirectory(workDirectory);
    evidence.totalMs = Math.round(performance.now() - started);
  }
  return evidence;
}

function canaryInsert(phase: 'before' | 'after'): string {
  return `INSERT INTO ${CANARY_TABLE} (run_id, phase, row_index) SELECT $1, '${phase}', n FROM generate_series(1, ${CANARY_ROWS_PER_PHASE}) AS n`;
}

/** A copy of the base backup as a new server: recovery from the archive to the target time, then promotion. */
async function startRestoredServer(lab: PostgresLabHandle, backupDirectory: string, targetTime: string, timeouts: DrillTimeouts): Promise<ProcessInstance> {
  return launchProcessInstance('restore-drill-postgres-restored', async (directory, port) => {
    const dataDirectory = join(directory, 'data');
    const socketDirectory = join(directory, 'socket');
    if (lab.runAs) await chown(directory, lab.runAs.uid, lab.runAs.gid);
    await runCommand('cp', ['-a', backupDirectory, dataDirectory], { timeoutMs: timeouts.commandMs });
    await mkdir(socketDirectory, { mode: 0o700 });
    if (lab.runAs) await chown(socketDirectory, lab.runAs.uid, lab.runAs.gid);
    const settings: Record<string, string | number> = {
      port,
      listen_addresses: '127.0.0.1',
      unix_socket_directories: socketDirectory,
      // The copy must never archive into the original's archive, nor need the original's certificate files.
      archive_mode: 'off',
      ssl: 'off',
      restore_command: `cp "${lab.walArchiveDirectory}/%f" "%p"`,
      recovery_target_time: targetTime,
      // The default, pause, would leave the server read-only waiting for a human.
      recovery_target_action: 'promote',
      // A backup of a server that logs through the collector (log-read-over-sql) would send the ready line to a file, never to the output watched for it.
      logging_collector: 'off',
    };
    // postgresql.auto.conf is read last, so these win over what the backup brought along.
    await appendFile(join(dataDirectory, 'postgresql.auto.conf'), Object.entries(settings).map(([name, value]) => postgresConfLine(name, value)).join(''));
    await writeFile(join(dataDirectory, 'recovery.signal'), '');
    return ServerProcess.start({
      label: 'restored postgres server (restore drill)',
      command: join(lab.binDirectory, 'postgres'),
      args: ['-D', dataDirectory],
      cwd: directory,
      uid: lab.runAs?.uid,
      gid: lab.runAs?.gid,
      env: { ...process.env },
      readyPattern: /database system is ready to accept connections/,
      stopSignal: 'SIGQUIT',
      startTimeoutMs: timeouts.restoreStartMs,
    });
  });
}

/** What the restored server says about where recovery started and stopped, or why it could not. */
function recoveryLines(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => /point-in-time recovery|recovery stopping|last completed transaction|recovery ended|target was reached|FATAL|selected new timeline|archive recovery complete|restored log file/.test(line))
    .map((line) => line.trim())
    .slice(-20);
}

interface AdminSession {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<void>;
  row<Row>(sql: string, values?: unknown[]): Promise<Row>;
  rows<Row>(sql: string, values?: unknown[]): Promise<Row[]>;
  end(): Promise<void>;
}

/** The admin over the server's unix socket, where pg_hba trusts it: no password exists to leak. */
function adminSession(lab: PostgresLabHandle, port: number, socketDirectory: string, timeoutMs: number): AdminSession {
  const client = new pg.Client({
    host: socketDirectory,
    port,
    user: lab.adminUser,
    database: lab.database,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
  });
  client.on('error', () => undefined);
  let connected = false;
  const rows = async <Row>(sql: string, values?: unknown[]): Promise<Row[]> => (await client.query(sql, values)).rows as Row[];
  return {
    connect: async () => {
      await client.connect();
      connected = true;
    },
    query: async (sql, values) => void (await client.query(sql, values)),
    row: async <Row>(sql: string, values?: unknown[]) => {
      const [first] = await rows<Row>(sql, values);
      if (first === undefined) throw new Error(`no row from: ${sql}`);
      return first;
    },
    rows,
    end: async () => {
      if (connected) await client.end().catch(() => undefined);
    },
  };
}

/** What the drill runs from the server's own build: the backup, its check, and the restored server. */
const DRILL_TOOLS = ['pg_basebackup', 'pg_verifybackup', 'postgres'] as const;
