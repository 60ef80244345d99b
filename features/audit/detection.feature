@area:audit
Feature: A failed login leaves a trace where someone will look
  Reading a setting says what the server was told to do; this makes it happen and looks. The
  harness logs in a couple of times with a user name made up for this run and a wrong password,
  after making sure the name is nowhere in the log yet, then reads the target's declared log or
  audit trail (or, where none is declared, the server's own log over SQL as the auditor) until the
  name shows up or the wait runs out. Lines are shown redacted.

  @control:audit.failed-logins-recorded
  Scenario: Failed logins with a marker user name appear in the log
    When a few logins with a run-scoped marker user name and a wrong password are made
    Then lines naming the marker and the client address appear in the declared log source within the wait
