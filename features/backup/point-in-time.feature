@area:backup
Feature: Every change is kept so the server can be restored to any moment
  A base backup alone restores yesterday; the changes since are replayed from archived WAL
  (PostgreSQL) or the binary log (MySQL and MariaDB). A binary log the server deletes after an hour
  cannot carry a restore from last week's backup, so it must be kept as long as the backups are
  (Azure keeps its own copies, and its backup retention is judged on the control plane). The
  settings are read as the auditor; how long an archive keeps WAL is up to the archive, which the
  server does not show.

  @control:backup.pitr-ready
  Scenario: WAL is archived, or the binary log is written and kept as long as the backups
    When the archiving and binary log settings are read as the auditor
    Then every change after a base backup is kept where a restore can replay it
