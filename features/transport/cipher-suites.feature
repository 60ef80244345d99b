@area:transport
Feature: Only strong cipher suites with forward secrecy are negotiated
  Encryption in transit is only as good as the suites the server agrees to. For every TLS
  version the server accepts, the harness lists each suite it will negotiate. None may be
  NULL-encrypting, anonymous, export-grade, DES, 3DES, RC4 or MD5-based, and below TLS 1.3
  every one must use an ephemeral key exchange so that a stolen key cannot decrypt old traffic.
  An ephemeral exchange protects nothing in a group small enough to precompute (Logjam): the
  group each accepted suite used, read from the handshake that accepted it, must be at least a
  2048-bit Diffie-Hellman group or a 256-bit elliptic curve, on every TLS version.

  @control:transport.strong-ciphers
  Scenario: The server negotiates no weak or non-forward-secret suite
    When the suites the server accepts are enumerated for every TLS version
    Then no accepted suite is weak, and every one below TLS 1.3 has forward secrecy
