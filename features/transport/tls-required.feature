@area:transport
Feature: Unencrypted logins are refused
  An Azure flexible server denies connections that do not use TLS unless someone has switched
  that protection off for a legacy client. A refusal only counts when the same account gets
  through over TLS: a server that says "access denied" to a plaintext login may be rejecting the
  account, not the transport. PostgreSQL decides from its host rules before any password is
  exchanged, so no password is sent; MySQL and MariaDB need a real login with the account.

  @control:transport.tls-required
  Scenario: The application account cannot log in without TLS
    When the application account connects without TLS and over TLS
    Then the plaintext attempt is refused although the same account gets through over TLS
