@area:auth
Feature: Passwords are proven with modern challenge methods
  How a server checks a password decides what a captured exchange or a stolen catalog row is
  worth. PostgreSQL must ask for SCRAM-SHA-256, for real and unknown users alike; MySQL accounts
  must keep their passwords with caching_sha2_password (or ed25519 on MariaDB).

  @control:auth.scram
  Scenario: The server asks for SCRAM-SHA-256, also for a user it does not know
    When the application account and an unknown user ask how to authenticate
    Then the server asks both for SCRAM-SHA-256

  @control:auth.strong-plugin
  Scenario: Every account keeps its password with a strong plugin
    When the accounts and their authentication plugins are read from the catalog
    Then no account with a password uses mysql_native_password or mysql_old_password
