@area:rest
Feature: Data on disk is unreadable without the key
  MySQL and MariaDB encrypt InnoDB tablespaces, the redo log, the binary log and temporary files
  through an encryption plugin. PostgreSQL has no such thing of its own: on PostgreSQL this
  control is left to the Azure plane controls, and the report says so.

  @control:rest.tablespaces-encrypted
  Scenario: Every tablespace and log is encrypted
    When the encryption plugins, the encryption settings and every InnoDB tablespace are read as the auditor
    Then an encryption plugin is active and every tablespace, the system one included, is encrypted, as are the redo log, the binary log and temporary files
