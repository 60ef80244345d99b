@area:transport
Feature: The server proves its identity with a sound certificate
  Clients are told to verify the server certificate; that only protects them when the
  certificate deserves it. Each property is judged on its own, so one defect fails one control:
  the chain of trust, the host name, the validity period, the key, and the signature digest.

  Background:
    Given the certificate chain the server presents in a TLS handshake

  @control:transport.cert-trusted
  Scenario: The certificate chains to a trusted certificate authority
    Then the chain links to a CA in the trusted bundle

  @control:transport.cert-hostname
  Scenario: The certificate is issued for the host the client dialled
    Then the certificate names the host the client dialled

  @control:transport.cert-validity
  Scenario: The certificate is in force and not about to expire
    Then the certificate is valid now and for the required number of days

  @control:transport.cert-key
  Scenario: The certificate key is long enough
    Then its key is RSA of at least 2048 bits or EC of at least 256 bits

  @control:transport.cert-signature
  Scenario: The certificate is not signed with a broken digest
    Then neither it nor any intermediate is signed with SHA-1 or MD5
