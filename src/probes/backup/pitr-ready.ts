import { defineCheck } from '../../controls/check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { describeSetting, isOn, serverSettings, settingOf, unreadableAmong, type SettingsEvidence } from '../audit/server-settings.js';

/** Point-in-time restore needs every change kept after the base backup: archived WAL or the binary log. */
export const pitrReady = defineCheck<SettingsEvidence>({
  id: 'backup.pitr-ready',
  evidenceTitle: 'WAL archiving or binary log settings as the server reports them',
  read: (context) => serverSettings(context),
  judge: (evidence, target) => (target.engine === 'postgres' ? judgeWalArchiving(evidence) : judgeBinaryLog(evidence)),
});

function judgeWalArchiving(evidence: SettingsEvidence): Judgement {
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
  if (problems.length > 0) return failed(`point-in-time restore is not possible (${evidence.readAs}): ${problems.join('; ')}`);
  return passed(`WAL is archived: wal_level '${level}', archive_mode '${modeValue}', ${hasCommand ? `archive_command set` : `archive_library '${libraryValue}'`} (4 settings read, ${evidence.readAs})`);
}

function judgeBinaryLog(evidence: SettingsEvidence): Judgement {
  const unreadable = unreadableAmong(evidence, ['log_bin', 'binlog_format']);
  if (unreadable.length > 0) return undecided(`cannot judge the binary log: ${unreadable.map(describeSetting).join('; ')}`);
  const logBin = settingOf(evidence, 'log_bin');
  const format = settingOf(evidence, 'binlog_format');
  if (!('value' in logBin) || !isOn(logBin.value)) return failed(`the binary log is off, so there is nothing to replay after a backup: ${describeSetting(logBin)} (${evidence.readAs})`);
  const formatValue = 'value' in format ? format.value.trim().toUpperCase() : '';
  // A statement-based log replays non-deterministic statements (NOW(), UUID(), LIMIT without ORDER BY) differently.
  if (formatValue !== 'ROW' && formatValue !== 'MIXED') return failed(`the binary log is on but ${describeSetting(format)}: a replay may not give back the same rows`);
  return passed(`the binary log is on with binlog_format ${formatValue} (2 settings read, ${evidence.readAs})`);
}
