import { describeSetting, isOn, settingOf, type ServerSetting, type SettingsEvidence } from '../audit/server-settings.js';

const SECONDS_PER_DAY = 86_400;

/** Settings that purge the oldest files by total size or file count, not age (0: no limit). */
export const SIZE_LIMIT_SETTING_NAMES = ['max_binlog_total_size', 'binlog_space_limit', 'max_binlog_files'] as const;

/**
 * How long the server keeps a binary log file before it purges it by itself, as its running
 * settings say (what the configuration files meant does not matter: with both options in a file,
 * MariaDB takes whichever comes last, and `expire_logs_days = 0` after `binlog_expire_logs_seconds`
 * switches purging off).
 * - never: no automatic purge by age.
 * - for: purged once this many seconds old.
 * - between: MySQL 8.0 shows both variables non-zero and unequal, which only SET GLOBAL can leave
 *   (at start-up it drops expire_logs_days); the window is then somewhere from the smaller to the sum.
 * - unknown: a setting could not be read or makes no sense; never a pass.
 * `bySize`: MariaDB 11.4+ also purges the oldest files once they outgrow max_binlog_total_size, and
 * Percona Server once they outgrow binlog_space_limit (8.0+; MariaDB's alias too) or outnumber
 * max_binlog_files (5.6/5.7), so how far back the log reaches then depends on how much is written.
 */
export type BinaryLogKept = (
  | { kind: 'never'; because: string }
  | { kind: 'for'; seconds: number; because: string }
  | { kind: 'between'; atLeastSeconds: number; atMostSeconds: number; because: string }
  | { kind: 'unknown'; because: string }
) & { bySize?: string };

/** The settings the kept window is read from, for readers and reasons. */
export const RETENTION_SETTING_NAMES = ['binlog_expire_logs_auto_purge', 'binlog_expire_logs_seconds', 'expire_logs_days', ...SIZE_LIMIT_SETTING_NAMES] as const;

/**
 * Semantics (MariaDB 10.6+ reference; MySQL 8.0/8.4 reference manual, WL#9237, WL#10478):
 * - MySQL 8.0.29+: binlog_expire_logs_auto_purge OFF means no automatic purge, whatever the periods say.
 * - 0 in every period that the server shows means no automatic purge (MariaDB, MySQL 5.7/8.0/8.4).
 * - MariaDB 10.6+ links binlog_expire_logs_seconds and expire_logs_days: setting one rewrites the
 *   other, so both show one period (days rounded to a millionth).
 * - MySQL 8.0 keeps them apart; before 10.6 (MariaDB) and in 5.7 (MySQL) only expire_logs_days
 *   exists, in 8.4 only binlog_expire_logs_seconds.
 */
export function binaryLogKept(evidence: Pick<SettingsEvidence, 'settings'>): BinaryLogKept {
  const [autoPurge, seconds, days, ...sizeLimits] = RETENTION_SETTING_NAMES.map((name) => settingOf(evidence, name));
  const unreadable = [autoPurge, seconds, days, ...sizeLimits].filter((setting) => 'unreadable' in setting);
  if (unreadable.length > 0) return { kind: 'unknown', because: unreadable.map(describeSetting).join('; ') };
  const limits = sizeLimits.map(sizeLimit).filter((limit): limit is string => limit !== undefined);
  const bySize = limits.length > 0 ? limits.join('; ') : undefined;
  const withSize = <T extends BinaryLogKept>(kept: T): T => (bySize ? { ...kept, bySize } : kept);
  // Only a clear OFF switches purging off: anything else (NULL, a value never seen) is not known to.
  if ('value' in autoPurge && !isOn(autoPurge.value)) {
    if (!isOff(autoPurge.value)) return { kind: 'unknown', because: `${describeSetting(autoPurge)} is neither on nor off` };
    return withSize({ kind: 'never', because: describeSetting(autoPurge) });
  }
  const periods = [seconds, days].filter((setting): setting is Extract<ServerSetting, { value: string }> => 'value' in setting);
  if (periods.length === 0) return { kind: 'unknown', because: `the server shows neither period (${describeSetting(seconds)}; ${describeSetting(days)})` };
  const secondsValue = 'value' in seconds ? numberOf(seconds.value) : 0;
  const daysValue = 'value' in days ? numberOf(days.value) : 0;
  const because = periods.map(describeSetting).join('; ');
  if (secondsValue === undefined || daysValue === undefined || secondsValue < 0 || daysValue < 0) return { kind: 'unknown', because: `not a period: ${because}` };
  const fromDays = Math.round(daysValue * SECONDS_PER_DAY);
  if (secondsValue === 0 && fromDays === 0) return withSize({ kind: 'never', because });
  // Linked (MariaDB) or only one set: one period. Days carry six decimals, a few hundredths of a second.
  if (secondsValue === 0 || fromDays === 0 || Math.abs(secondsValue - fromDays) <= 1) return withSize({ kind: 'for', seconds: secondsValue || fromDays, because });
  return withSize({ kind: 'between', atLeastSeconds: Math.min(secondsValue, fromDays), atMostSeconds: secondsValue + fromDays, because });
}

function isOff(value: string): boolean {
  return ['off', 'false', 'no', '0'].includes(value.trim().toLowerCase());
}

function numberOf(value: string): number | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function sizeLimit(setting: ServerSetting): string | undefined {
  if (!('value' in setting)) return undefined;
  const bytes = numberOf(setting.value);
  return bytes === 0 ? undefined : describeSetting(setting);
}

/** "1 hour", "36 hours", "7 days", "1.5 days" (past two days), "90 seconds". */
export function describeDuration(seconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (seconds >= 2 * SECONDS_PER_DAY || seconds % SECONDS_PER_DAY === 0) return plural(Math.round((seconds / SECONDS_PER_DAY) * 100) / 100, 'day');
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds >= 3600) return plural(Math.round((seconds / 3600) * 10) / 10, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}
