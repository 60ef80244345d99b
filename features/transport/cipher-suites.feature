@area:transport
Feature: Only strong cipher suites with forward secrecy are negotiated
  Encryption in transit is only as good as the suites the server agrees to. For every TLS
  version the server accepts, the harness lists each suite it will negotiate. None may be
  NULL-encrypting, anonymous, export-grade, DES, 3DES, RC4 or MD5-based, and below TLS 1.3
  every one must use an ephemeral key exchange so that a stolen key cannot decrypt old traffic.

  @control:transport.strong-ciphers
  Scenario: The server negotiates no weak or non-forward-secret suite
    When the suites the server accepts are enumerated for every TLS version
    Then no accepted suite is weak, and every one below TLS 1.3 has forward secrecy
