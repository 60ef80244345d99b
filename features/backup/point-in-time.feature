@area:backup
Feature: Every change is kept so the server can be restored to any moment
  A base backup alone restores yesterday; the changes since are replayed from archived WAL
  (PostgreSQL) or the binary log (MySQL and MariaDB). The settings are read as the auditor.

  @control:backup.pitr-ready
  Scenario: WAL is archived, or the binary log is written
    When the archiving and binary log settings are read as the auditor
    Then every change after a base backup is kept where a restore can replay it
