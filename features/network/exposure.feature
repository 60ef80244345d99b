@area:network
Feature: Only the allow list reaches the server
  Azure flexible servers with public access admit only the addresses in their firewall rules, and
  seed 003 asks for network isolation: a source outside the allow list should not get as far as a
  login prompt, and should learn nothing about the server. Only a probe from outside can show it,
  so the target declares its vantage points: local source addresses or network namespaces, each
  expected allowed or denied. No password is sent from any of them.

  A drop (no answer to the TCP connection), a reset, or a refusal before authentication (MySQL
  error 1130, a PostgreSQL host-rule rejection) keeps a source out. Any byte the server sends to a
  denied source is a banner: MySQL's greeting names the version, its error packet names the product,
  and PostgreSQL's answer to an SSLRequest shows a PostgreSQL server (and, with TLS, hands out the
  certificate). A denial only counts when an allowed source gets through, as a dead server keeps
  everyone out too.

  @control:network.allowlist
  Scenario: Sources outside the allow list are kept out before any login
    When the server is probed from every declared vantage point
    Then every denied source is dropped or refused before login while every allowed source reaches authentication

  @control:network.no-banner
  Scenario: Sources outside the allow list receive no greeting
    When the server is probed from every declared vantage point
    Then no denied source receives a byte from the server while every allowed source hears it
