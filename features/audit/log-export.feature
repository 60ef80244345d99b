@area:audit
Feature: The server's logs outlive the server
  A flexible server keeps its own logs for a few days only, and they go with it. A diagnostic
  setting sends them to a Log Analytics workspace, a storage account or an event hub, where an
  investigation can still find them: PostgreSQL's server log, MySQL's audit log and its slow log,
  each of them (the allLogs category group covers all; the audit group, the audit log and PostgreSQL's
  server log only). Exporting a log the server does not write keeps nothing: MySQL writes its audit
  log only with audit_log_enabled ON and its slow log only with slow_query_log ON, and a value
  pending a restart is not yet in force. Required in the strict profile; read from Azure Resource
  Manager (on the Azure stand-in in the lab, and labelled so).

  @control:audit.logs-exported @plane
  Scenario: A diagnostic setting exports the server's logs
    When the server's diagnostic settings are read from Azure Monitor
    Then a setting sends the server's logs to a workspace, storage account or event hub
    And the server writes the logs it exports, with the setting in force, not pending a restart
