@area:transport
Feature: Connections are encrypted with current TLS versions only
  Azure's flexible servers require TLS 1.2 by default, turn away the deprecated TLS 1.0 and 1.1,
  and recommend TLS 1.3 for new applications; the strict profile accepts nothing older than 1.3.
  Each scenario offers the server exactly one protocol version after the database's own
  pre-TLS exchange, and reads the server's answer: a completed handshake, or a TLS alert.

  @control:transport.no-tls1.0
  Scenario: A client that can only speak TLS 1.0 is turned away
    When a client offers only TLS 1.0
    Then the server refuses the handshake

  @control:transport.no-tls1.1
  Scenario: A client that can only speak TLS 1.1 is turned away
    When a client offers only TLS 1.1
    Then the server refuses the handshake

  @control:transport.tls1.2
  Scenario: A client limited to TLS 1.2 can still connect
    When a client offers only TLS 1.2
    Then the handshake completes with that version

  @control:transport.tls1.3
  Scenario: A client that offers TLS 1.3 gets it
    When a client offers only TLS 1.3
    Then the handshake completes with that version

  @control:transport.tls1.3-only
  Scenario: Under the strict profile even TLS 1.2 is turned away
    When a client offers only TLS 1.2
    Then the server refuses the handshake
