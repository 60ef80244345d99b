import type { Archiving, ServerConfiguration } from '../server-configurations.js';

export type { Archiving } from '../server-configurations.js';
import { postgresConfLine } from '../postgres-settings.js';
import { APP_DATABASE } from '../fixture-accounts.js';


/** A configuration without the setting archives nothing, as the lab servers always did. */
export function archivingOf(configuration: ServerConfiguration): Archiving {
  return configuration.archiving ?? 'off';
}

/**
 * postgresql.conf lines; `archiveDirectory` as the server sees it (it must exist and be the server's).
 * A configuration that does not say leaves the server's defaults alone (no archiving), so that
 * archiving set elsewhere is not switched off here.
 */
export function postgresArchivingConf(configuration: ServerConfiguration, archiveDirectory: string): string {
  const archiving = configuration.archiving;
  if (archiving === undefined) return '';
  if (archiving === 'off') return postgresConfLine('archive_mode', 'off');
  return postgresConfLine('archive_mode', 'on') + postgresConfLine('archive_command', postgresArchiveCommand(archiving, archiveDirectory));
}

/** The shell command PostgreSQL runs for each finished segment, with %p (its path) and %f (its name) filled in. */
export function postgresArchiveCommand(archiving: Exclude<Archiving, 'off'>, archiveDirectory: string): string {
  // Fails (and PostgreSQL retries the segment) rather than overwrite a segment already in the archive.
  const keep = `test ! -f "${archiveDirectory}/%f" && cp "%p" "${archiveDirectory}/%f"`;
  return archiving === 'gap' ? `case "%f" in *[13579BDF]) exit 0;; esac; ${keep}` : keep;
}

/** mariadbd options; the binary logs go into the data directory, named binlog.NNNNNN. Nothing when the configuration does not say. */
export function mariaDbBinaryLogOptions(configuration: ServerConfiguration): string[] {
  const archiving = configuration.archiving;
  if (archiving === undefined) return [];
  if (archiving === 'off') return ['--skip-log-bin'];
  return [
    '--log-bin=binlog',
    '--server-id=1',
    '--binlog-format=ROW',
    ...(archiving === 'gap' ? ['--binlog-expire-logs-seconds=1'] : []),
    ...(archiving === 'partial' ? [`--binlog-ignore-db=${APP_DATABASE}`] : []),
    // Both, in this order: MariaDB links the two and the later option wins, as in a configuration
    // file where an include sets the short period after the long one.
    ...(archiving === 'short-retention' ? ['--expire-logs-days=30', '--binlog-expire-logs-seconds=3600'] : []),
  ];
}
