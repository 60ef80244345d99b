@area:backup
Feature: A point-in-time restore really restores
  A backup setting that reads "on" proves nothing until a restore has brought data back. The drill
  writes canary rows, notes the server's own clock, writes more canary rows, makes sure the WAL
  segment or binary log holding the second batch has been archived, and restores a base backup
  rolled forward to the noted moment into a fresh server on another port. The first batch must be
  there and the second must not. It needs the server's files and a second server to restore into,
  so it runs only on servers the harness started itself; every other target is skipped with that
  reason. Its evidence lists each step with its duration and outcome, the canary counts, the target
  time and how long the restore took.

  @control:backup.restore-drill
  Scenario: A restore to a moment between two commits brings back exactly the earlier one
    When the restore drill runs on the lab server
    Then the restored server holds every canary row committed before the target time and none committed after
