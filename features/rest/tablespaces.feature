@area:rest
Feature: Data on disk is unreadable without the key
  MySQL and MariaDB encrypt InnoDB tablespaces, the redo log, the binary log and temporary files
  through an encryption plugin. That encryption covers InnoDB only: a user table kept in another
  storage engine (MyISAM, CSV, ARCHIVE, most Aria tables) stays readable on disk, so every user
  table is looked at by its engine too. PostgreSQL has no such thing of its own: on PostgreSQL this
  control is left to the Azure plane controls, and the report says so.

  @control:rest.tablespaces-encrypted
  Scenario: Every tablespace, log and user table is encrypted
    When the encryption plugins, the encryption settings, every InnoDB tablespace and the user tables by storage engine are read as the auditor
    Then an encryption plugin is active and every tablespace, the system one included, is encrypted, as are the redo log, the binary log and temporary files, and no user table is kept in an engine that leaves its rows unencrypted
