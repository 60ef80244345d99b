@area:audit
Feature: The server keeps a trail of who connected, and its clock can be trusted
  An investigator reads the log to learn who got in, from where, and when. The settings are read
  as the auditor and shown as the server reports them; a setting this server does not have is
  shown as absent, which is not the same as off.

  @control:audit.connections-logged
  Scenario: Connections and disconnections are logged with who and from where
    When the logging and audit settings are read as the auditor
    Then every connection and disconnection is written to the log, naming the user, the database and the client address

  @control:audit.audit-extension
  Scenario: An audit extension is loaded and writing
    When the logging and audit settings are read as the auditor
    Then an audit extension or plugin is loaded and configured to record something

  @control:audit.clock-sync
  Scenario: The server's clock agrees with the harness's
    When the server's clock is read a few times, each read timed by the harness
    Then the server's time is within one second of the harness's, the round trip counted against it
