@area:transport
Feature: Unencrypted logins are refused
  An Azure flexible server denies connections that do not use TLS unless someone has switched
  that protection off for a legacy client. Proving the refusal takes working credentials: a
  server that says "access denied" to a plaintext login may only be rejecting the password, so
  the same account must succeed over TLS for the refusal to count.

  @control:transport.tls-required
  Scenario: The application account cannot log in without TLS
    When the application account logs in without TLS and over TLS
    Then the plaintext login is refused although the same credentials work over TLS
