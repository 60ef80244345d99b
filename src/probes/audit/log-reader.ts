/**
 * What the failed-login detection needs from a log source, whichever it is (files or a command the
 * target declares, or the server's own log read over SQL): a position before the detonation, the
 * text written since, and everything it holds now for the negative check. Every read throws when it
 * cannot read, for the check to turn into an undecided verdict, never a pass.
 */
export interface LogReader<Position> {
  /** How evidence names the source, e.g. "file /var/log/x.log" or "pg_read_file on log/postgresql.log as role auditor". */
  describe(): string;
  /** Where the source ends now: a later readSince returns only what came after. */
  position(): Promise<Position>;
  /** What the source holds now (bounded): the marker must not be in it before the attempts. */
  readAll(): Promise<string>;
  /** What was written after `since` (bounded). */
  readSince(since: Position): Promise<string>;
}
