@area:auth
Feature: Entra ID principals log in with access tokens the server really checks
  Azure Database for PostgreSQL and MySQL let Microsoft Entra ID principals log in with an access
  token for the OSS RDBMS scope instead of a password. That is only worth having when the server
  checks the token: a server that let in any token-shaped string, or a token past its expiry,
  would turn a leaked or forged token into a login. The token is acquired with whatever Azure
  credential the environment provides, is sent over verified TLS only, and never appears in
  the report. Without a declared principal or any Azure credential, the control is skipped.

  @control:auth.entra-token
  Scenario: A valid Entra token logs in; a tampered or expired one is refused
    When the declared Entra principal logs in over TLS with a token, a tampered token and an expired token
    Then the valid token is accepted and the server refuses the tampered and the expired token
