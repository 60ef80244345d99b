import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { awaitingRestart, describeAwaitingRestart, describeSetting, isOn, serverSettings, settingOf, unreadableAmong, type SettingsEvidence } from '../audit/server-settings.js';
import type { TargetContext } from '../target-context.js';
import type { Target } from '../../targets/target.js';
import { azureManagedServer } from '../../targets/azure-managed-server.js';
import { MINIMUM_RETENTION_DAYS } from './retention.js';
import { binaryLogKept, describeDuration, RETENTION_SETTING_NAMES } from './binary-log-retention.js';

/** PostgreSQL's pg_stat_archiver: whether the archive command has been working, not just configured. */
export interface ArchiverStats {
  archivedCount: number;
  lastArchivedWal: string | null;
  lastArchivedTime: string | null;
  failedCount: number;
  lastFailedWal: string | null;
  lastFailedTime: string | null;
  /** When these counters were last reset (pg_stat_reset_shared('archiver')); null: since the cluster was made. */
  statsReset?: string | null;
  /** How far archiving is behind the WAL being written; absent when it could not be told (a standby, another timeline). */
  backlog?: ArchiveBacklog;
}

/** The segments finished after the last archived one and not archived yet, and how long the archiver has been silent, by the server's clock. */
export interface ArchiveBacklog {
  currentWal: string;
  finishedNotArchived: number;
  secondsSinceLastArchived: number;
}

/** A healthy archiver takes each finished segment within seconds; two waiting after a minute without a success is a stalled one (a hung command reports no failure). */
export const STALLED_BACKLOG_SEGMENTS = 2;
export const STALLED_AFTER_SECONDS = 60;

/**
 * MySQL/MariaDB: the binary log's database filters (--binlog-do-db, --binlog-ignore-db), which are
 * start-up options, not variables: only SHOW MASTER STATUS (SHOW BINARY LOG STATUS from MySQL 8.4)
 * shows them, to an account with BINLOG MONITOR (REPLICATION CLIENT on MySQL).
 */
export type BinaryLogFilters = { doDatabases: string; ignoreDatabases: string } | { binaryLogOff: true } | { problem: string };

export type PitrEvidence = SettingsEvidence & { archiver?: ArchiverStats; binaryLogFilters?: BinaryLogFilters };

/** Point-in-time restore needs every change kept after the base backup: archived WAL or the binary log. */
export const pitrReady = defineCheck<PitrEvidence>({
  id: 'backup.pitr-ready',
  evidenceTitle: 'WAL archiving or binary log settings as the server reports them (and PostgreSQL pg_stat_archiver)',
  read: async (context) => {
    const settings = await serverSettings(context);
    if (context.target.engine !== 'postgres') return { ...settings, binaryLogFilters: await readBinaryLogFilters(context) };
    const { result } = await context.catalog.read('pg_stat_archiver', async (session) => {
      const rows = await session.query<{ archived_count: string; last_archived_wal: string | null; last_archived_time: Date | null; failed_count: string; last_failed_wal: string | null; last_failed_time: Date | null; stats_reset: Date | null }>(
        'SELECT archived_count, last_archived_wal, last_archived_time, failed_count, last_failed_wal, last_failed_time, stats_reset FROM pg_stat_archiver',
      );
      let position: { current_wal: string; segment_size: string; since_last_archived: number | null } | undefined;
      try {
        // pg_current_wal_lsn() refuses on a standby, which writes no WAL of its own: no backlog to tell then.
        [position] = await session.query(
          "SELECT pg_walfile_name(pg_current_wal_lsn()) AS current_wal, (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size') AS segment_size, extract(epoch FROM clock_timestamp() - (SELECT last_archived_time FROM pg_stat_archiver))::float8 AS since_last_archived",
        );
      } catch {
        position = undefined;
      }
      return { rows, position };
    });
    const [row] = result.rows;
    if (!row) return settings;
    const position = result.position;
    const finished = position && row.last_archived_wal ? segmentsFinishedAfter(row.last_archived_wal, position.current_wal, Number(position.segment_size)) : undefined;
    const backlog: ArchiveBacklog | undefined =
      position && finished !== undefined && position.since_last_archived !== null
        ? { currentWal: position.current_wal, finishedNotArchived: finished, secondsSinceLastArchived: Math.round(Number(position.since_last_archived)) }
        : undefined;
    const iso = (time: Date | null) => (time ? new Date(time).toISOString() : null);
    return {
      ...settings,
      archiver: {
        archivedCount: Number(row.archived_count),
        lastArchivedWal: row.last_archived_wal,
        lastArchivedTime: iso(row.last_archived_time),
        failedCount: Number(row.failed_count),
        lastFailedWal: row.last_failed_wal,
        lastFailedTime: iso(row.last_failed_time),
        statsReset: iso(row.stats_reset),
        ...(backlog ? { backlog } : {}),
      },
    };
  },
  judge: (evidence, target) => (target.engine === 'postgres' ? judgeWalArchiving(evidence) : judgeBinaryLog(evidence, target)),
});

/**
 * The WAL segments finished after `lastArchived` and before `current` (the one being written), from
 * their file names (timeline, then the segment number in two 32-bit halves); undefined when the
 * names are on different timelines or are not segment names (a .history or .backup file).
 */
export function segmentsFinishedAfter(lastArchived: string, current: string, segmentSize: number): number | undefined {
  const parse = (name: string) => /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$/i.exec(name.trim());
  const last = parse(lastArchived);
  const now = parse(current);
  if (!last || !now || last[1].toUpperCase() !== now[1].toUpperCase() || !Number.isInteger(segmentSize) || segmentSize <= 0) return undefined;
  const perLog = 0x1_0000_0000n / BigInt(segmentSize);
  const index = (match: RegExpExecArray) => BigInt(`0x${match[2]}`) * perLog + BigInt(`0x${match[3]}`);
  const between = index(now) - index(last) - 1n;
  return between < 0n ? 0 : Number(between);
}

function judgeWalArchiving(evidence: PitrEvidence): Judgement {
  // archive_library exists from PostgreSQL 15 on; absent on older servers, which is not "off".
  const unreadable = unreadableAmong(evidence, ['wal_level', 'archive_mode', 'archive_command', 'archive_library']);
  if (unreadable.length > 0) return undecided(`cannot judge WAL archiving: ${unreadable.map(describeSetting).join('; ')}`);
  const walLevel = settingOf(evidence, 'wal_level');
  const mode = settingOf(evidence, 'archive_mode');
  const command = settingOf(evidence, 'archive_command');
  const library = settingOf(evidence, 'archive_library');
  const problems: string[] = [];
  const level = 'value' in walLevel ? walLevel.value.trim().toLowerCase() : '';
  if (level !== 'replica' && level !== 'logical') problems.push(`${describeSetting(walLevel)}: WAL holds too little to restore from`);
  const modeValue = 'value' in mode ? mode.value.trim().toLowerCase() : '';
  if (modeValue !== 'on' && modeValue !== 'always') problems.push(`${describeSetting(mode)}: WAL is not archived`);
  const commandValue = 'value' in command ? command.value.trim() : '';
  const libraryValue = 'value' in library ? library.value.trim() : '';
  const hasCommand = commandValue !== '' && commandValue !== '(disabled)';
  if (!hasCommand && libraryValue === '') {
    problems.push(`neither an archive command nor an archive library is set (${describeSetting(command)}; ${describeSetting(library)}): finished WAL segments pile up and are never archived`);
  }
  const copies = hasCommand ? archiveCommandCopies(commandValue) : 'yes';
  if (copies === 'no-op') problems.push(`${describeSetting(command)} keeps no copy of the segment and reports success: every segment is counted archived and none is kept`);
  const archiver = evidence.archiver;
  // A failure newer than the last success: the archive is falling behind, and a restore would stop at the gap.
  if (archiver && archiver.failedCount > 0 && archiver.lastFailedTime && (!archiver.lastArchivedTime || archiver.lastFailedTime > archiver.lastArchivedTime)) {
    problems.push(`archiving is failing: pg_stat_archiver shows ${archiver.failedCount} failures, the last for ${archiver.lastFailedWal ?? '?'} at ${archiver.lastFailedTime}, after the last success (${archiver.lastArchivedTime ?? 'none'})`);
  }
  if (problems.length > 0) return failed(`point-in-time restore is not possible (${evidence.readAs}): ${problems.join('; ')}`);
  const pending = awaitingRestart(evidence, ['wal_level', 'archive_mode', 'archive_command', 'archive_library']);
  if (pending.length > 0) return undecided(`WAL is archived now, but ${describeAwaitingRestart(pending)} (${evidence.readAs})`);
  if (copies === 'unknown') return undecided(`${describeSetting(command)} names neither the segment's path (%p) nor its file name (%f), so which segment it archives, if any, cannot be told from the setting (${evidence.readAs})`);
  // The settings say archiving is configured; only the archiver's own counters say it has ever worked.
  if (!archiver) return undecided(`WAL archiving is configured, but pg_stat_archiver was not read, so no segment has been seen archived (${evidence.readAs})`);
  if (archiver.archivedCount === 0) {
    const since = archiver.statsReset ? `since its counters were reset at ${archiver.statsReset}` : 'ever';
    return undecided(
      `WAL archiving is configured (wal_level '${level}', archive_mode '${modeValue}', ${hasCommand ? 'archive_command set' : `archive_library '${libraryValue}'`}), but pg_stat_archiver shows 0 segments archived ${since} and ${archiver.failedCount} failures: ` +
        `that archiving works has not been shown (no WAL segment has been finished and archived yet; one is after pg_switch_wal() or a segment's worth of writes) (${evidence.readAs})`,
    );
  }
  const backlog = archiver.backlog;
  if (backlog && backlog.finishedNotArchived >= STALLED_BACKLOG_SEGMENTS && backlog.secondsSinceLastArchived >= STALLED_AFTER_SECONDS) {
    return undecided(
      `WAL archiving is configured and has worked (${archiver.archivedCount} segments archived, the last ${archiver.lastArchivedWal} at ${archiver.lastArchivedTime}), but ${backlog.finishedNotArchived} finished segments after it wait to be archived ` +
        `(the server writes ${backlog.currentWal}) and nothing has been archived for ${backlog.secondsSinceLastArchived} s, with ${archiver.failedCount} failures: archiving has stalled or fallen behind (a hung archive_command reports no failure), so a restore would stop at ${archiver.lastArchivedWal} (${evidence.readAs})`,
    );
  }
  // Without the backlog a hung archive_command cannot show: the pass says the stall went unchecked.
  const waiting = backlog
    ? `, ${backlog.finishedNotArchived} finished segments waiting`
    : `; how many finished segments wait could not be counted (a standby writes no WAL of its own, or the last archived file is not a segment of the timeline being written), so whether the archiver has stalled is not shown`;
  const archived = `; pg_stat_archiver: ${archiver.archivedCount} segments archived${archiver.lastArchivedWal ? `, last ${archiver.lastArchivedWal} at ${archiver.lastArchivedTime}` : ''}, ${archiver.failedCount} failures${waiting}`;
  // The server shows nothing about how long the archive keeps segments (that is the archive's own
  // cleanup, outside the server; wal_keep_size keeps WAL for standbys, not for restores).
  return passed(`WAL is archived: wal_level '${level}', archive_mode '${modeValue}', ${hasCommand ? `archive_command set` : `archive_library '${libraryValue}'`} (${[walLevel, mode, command, library].filter((setting) => 'value' in setting).length} settings read${'value' in library ? '' : '; archive_library does not exist before PostgreSQL 15'}, ${evidence.readAs})${archived}; how long the archive keeps WAL is decided where it is archived to, which the server does not show, and is not judged`);
}

async function readBinaryLogFilters(context: TargetContext): Promise<BinaryLogFilters> {
  try {
    const { result } = await context.catalog.read('the binary log status', async (session) => {
      try {
        return await session.query<Record<string, string>>('SHOW MASTER STATUS');
      } catch (error) {
        // 1064: a syntax error, as MySQL 8.4 answers SHOW MASTER STATUS; anything else is the answer.
        if ((error as { errno?: number }).errno !== 1064) throw error;
        return session.query<Record<string, string>>('SHOW BINARY LOG STATUS');
      }
    });
    const [row] = result;
    if (!row) return { binaryLogOff: true };
    return { doDatabases: String(row.Binlog_Do_DB ?? ''), ignoreDatabases: String(row.Binlog_Ignore_DB ?? '') };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Programs that, run alone, exit 0 without putting the segment anywhere: archive_mode stays on,
 * pg_stat_archiver counts every segment archived, and nothing is kept. Whatever arguments they are
 * given (`/bin/true %p`, `echo %p`, `test -f %p`, `sleep 1`), none of them copies a file.
 */
const COPIES_NOTHING = new Set(['true', ':', 'echo', 'printf', 'test', '[', 'cd', 'sleep', 'logger', 'rm', 'touch', 'ln']);
// ln belongs there too: a symbolic link points into pg_wal, whose segment is recycled, and a hard
// link shares the very file PostgreSQL renames and overwrites when it recycles the segment (with
// wal_recycle on, the default since PostgreSQL 12 brought the setting).
/** Copying programs whose destination decides where the segment goes. */
const COPIERS = new Set(['cp', 'mv', 'install', 'rsync', 'dd', 'cat']);
/** What joins one shell command to another: with any of them the command is a script, read no further than its first word. */
const SHELL_JOINS = /;|&&|\|\||\||\n|`|\$\(/;

/**
 * Whether an archive_command can copy the segment it is given: the server hands it over only
 * through %p (its path) and %f (its file name). A command that cannot copy it is a finding: one
 * that ends the shell at once (`exit 0; ...`), a single program that copies nothing, or a copy whose
 * only destination is /dev/null. Any other command that names neither %p nor %f may be a script
 * that finds the segments itself, which the setting cannot show.
 */
export function archiveCommandCopies(command: string): 'yes' | 'no-op' | 'unknown' {
  const text = command.trim().replace(/\s+/g, ' ');
  // `exit` or `exit 0` first ends the shell with success before anything after it runs.
  if (/^exit( 0)?\s*($|;|&&|\|\||\n)/.test(text)) return 'no-op';
  if (!SHELL_JOINS.test(text.replace(/;$/, ''))) {
    const words = text.replace(/;$/, '').trim().split(' ');
    const program = (words[0] ?? '').replace(/^["'](.*)["']$/, '$1').split('/').pop() ?? '';
    if (COPIES_NOTHING.has(program)) return 'no-op';
    if (COPIERS.has(program) && copiesOnlyToDevNull(program, words.slice(1))) return 'no-op';
  }
  return command.includes('%p') || command.includes('%f') ? 'yes' : 'unknown';
}

/** `cp %p /dev/null`, `dd if=%p of=/dev/null`, `cat %p > /dev/null`: the copy's one destination is /dev/null. */
function copiesOnlyToDevNull(program: string, args: string[]): boolean {
  const unquoted = args.map((arg) => arg.replace(/^["'](.*)["']$/, '$1'));
  // stdout redirected (`>`, `1>`, `>>`, attached or not) to /dev/null; stderr (`2>`) is not the copy.
  const stdoutToNull = /(^|[^2&])>>?\s*["']?\/dev\/null/.test(args.join(' ').replace(/2>>?\s*\S+/g, '').replace(/2>&1/g, ''));
  if (program === 'dd') return unquoted.includes('of=/dev/null') || (!unquoted.some((arg) => arg.startsWith('of=')) && stdoutToNull);
  if (program === 'cat') return stdoutToNull;
  const positional = unquoted.filter((arg, index) => !arg.startsWith('-') && !/^\d?>/.test(arg) && !/^\d?>/.test(unquoted[index - 1] ?? ''));
  return positional.at(-1) === '/dev/null';
}

function judgeBinaryLog(evidence: PitrEvidence, target: Pick<Target, 'engine' | 'host' | 'azure' | 'profile' | 'minBinaryLogDays'>): Judgement {
  const unreadable = unreadableAmong(evidence, ['log_bin', 'binlog_format']);
  if (unreadable.length > 0) return undecided(`cannot judge the binary log: ${unreadable.map(describeSetting).join('; ')}`);
  const logBin = settingOf(evidence, 'log_bin');
  const format = settingOf(evidence, 'binlog_format');
  if (!('value' in logBin) || !isOn(logBin.value)) return failed(`the binary log is off, so there is nothing to replay after a backup: ${describeSetting(logBin)} (${evidence.readAs})`);
  const formatValue = 'value' in format ? format.value.trim().toUpperCase() : '';
  // A statement-based log replays non-deterministic statements (NOW(), UUID(), LIMIT without ORDER BY) differently.
  if (formatValue !== 'ROW' && formatValue !== 'MIXED') return failed(`the binary log is on but ${describeSetting(format)}: a replay may not give back the same rows`);
  const filters = evidence.binaryLogFilters;
  if (filters && 'doDatabases' in filters && (filters.doDatabases !== '' || filters.ignoreDatabases !== '')) {
    const left = [filters.doDatabases ? `only ${filters.doDatabases} (binlog-do-db)` : '', filters.ignoreDatabases ? `nothing of ${filters.ignoreDatabases} (binlog-ignore-db)` : ''].filter(Boolean).join(' and ');
    return failed(`the binary log is on with binlog_format ${formatValue}, but it logs ${left}: changes to the databases it leaves out cannot be replayed after a backup`);
  }
  // A filter may leave the application's database out of the binary log, and a restore would then
  // replay nothing of it: filters that could not be read leave the control undecided, never passed
  // (a binary log purged too soon still fails: that is shown whatever the filters are).
  const on = `the binary log is on with binlog_format ${formatValue}`;
  const kept = judgeBinaryLogKept(evidence, target);
  if (kept.verdict === 'failed') return { verdict: kept.verdict, reason: `${on}, but ${kept.reason} (${evidence.readAs})` };
  if (!filters || 'problem' in filters) {
    const why = filters ? `could not be read (${filters.problem}); SHOW MASTER STATUS (SHOW BINARY LOG STATUS from MySQL 8.4) needs BINLOG MONITOR (MariaDB) or REPLICATION CLIENT (MySQL)` : 'were not read';
    return undecided(`${on}, but its database filters (binlog-do-db, binlog-ignore-db) ${why}, so whether it logs every database cannot be told (${evidence.readAs})`);
  }
  if ('binaryLogOff' in filters) return undecided(`${describeSetting(logBin)}, but SHOW MASTER STATUS shows no binary log being written, so what it logs cannot be told (${evidence.readAs})`);
  const filtersRead = '; no database filter (SHOW MASTER STATUS)';
  if (kept.verdict !== 'passed') return { verdict: kept.verdict, reason: `${on}, but ${kept.reason} (${evidence.readAs})` };
  const shown = ['log_bin', 'binlog_format', ...RETENTION_SETTING_NAMES].filter((name) => 'value' in settingOf(evidence, name)).length;
  return passed(`${on} and ${kept.reason} (${shown} settings shown, ${evidence.readAs})${filtersRead}`);
}

/**
 * Whether the binary log reaches back as far as a restore must: purged sooner, a restore from a
 * base backup older than that has a gap to replay across. On an Azure flexible server the setting
 * does not bound restores: Azure copies the binary log to its backup storage every five minutes and
 * purges the server's own files itself (binlog_expire_logs_seconds 0, its default there, even means
 * "as soon as nothing needs them"), so the restore window is the backup retention, which
 * backup.retention judges on the control plane. Failing Azure servers on it would be a false fail.
 */
function judgeBinaryLogKept(evidence: PitrEvidence, target: Pick<Target, 'engine' | 'host' | 'azure' | 'profile' | 'minBinaryLogDays'>): Judgement {
  const kept = binaryLogKept(evidence);
  const azure = azureManagedServer(target);
  // A window the user declared is judged even on Azure: they asked for it.
  if (azure && target.minBinaryLogDays === undefined) {
    return passed(`how long the server keeps it (${kept.because}) is not judged: the target is an Azure flexible server (${azure}), which copies the binary log to its backup storage and restores from there, so backup.retention decides how far back a restore reaches`);
  }
  const requiredDays = target.minBinaryLogDays ?? MINIMUM_RETENTION_DAYS[target.profile];
  const required = requiredDays * 86_400;
  const declared = target.minBinaryLogDays !== undefined;
  const days = `${requiredDays} day${requiredDays === 1 ? '' : 's'}`;
  const window = declared ? `the ${days} declared for it (minBinaryLogDays)` : `the ${days} of backups the ${target.profile} profile asks for`;
  const hint = declared ? '' : ' (declare minBinaryLogDays if base backups are taken and kept more often, or the binary log is copied off the server; for an Azure server reached by address, declare azure.resourceId)';
  const bySize = kept.bySize ? `; it is also purged by size (${kept.bySize}), so how far back it reaches depends on how much is written` : '';
  switch (kept.kind) {
    case 'unknown':
      return undecided(`how long it is kept cannot be told: ${kept.because}`);
    case 'never':
      if (kept.bySize) return undecided(`it is never purged by age (${kept.because})${bySize}: whether it reaches back ${window} cannot be told from the settings`);
      return passed(`the server never purges it by itself (${kept.because})`);
    case 'for':
      if (kept.seconds < required) return failed(`the server purges it once ${describeDuration(kept.seconds)} old (${kept.because}): a restore cannot replay changes older than that, fewer than ${window}${hint}`);
      if (kept.bySize) return undecided(`it is kept ${describeDuration(kept.seconds)} by age (${kept.because})${bySize}: whether it reaches back ${window} cannot be told from the settings`);
      return passed(`it is kept ${describeDuration(kept.seconds)} (${kept.because}), at least ${window}`);
    case 'between':
      if (kept.atMostSeconds < required) return failed(`the server purges it once ${describeDuration(kept.atMostSeconds)} old at most (${kept.because}): a restore cannot replay changes older than that, fewer than ${window}${hint}`);
      if (kept.atLeastSeconds >= required && !kept.bySize) return passed(`it is kept at least ${describeDuration(kept.atLeastSeconds)} (${kept.because}), at least ${window}`);
      return undecided(`both periods are set and differ (${kept.because}), so it is kept somewhere from ${describeDuration(kept.atLeastSeconds)} to ${describeDuration(kept.atMostSeconds)}${bySize}, against ${window}; set one of them to 0 to make the window certain`);
  }
}
