@area:auth @intrusive
Feature: Guessing passwords does not pay
  These scenarios make failed logins on purpose, which can lock accounts and fill logs, so they
  run only on targets that opt in. The number of attempts is fixed and shown in the evidence.

  @control:auth.lockout
  Scenario: Repeated wrong passwords lock the account or slow every attempt
    When the sacrificial account is tried with a few wrong passwords in a row
    Then the server locks the account or delays every refusal

  @control:auth.no-default-admin
  Scenario: Well-known admin names do not open with common passwords
    When well-known admin names are tried with a short list of common passwords
    Then none of them logs in
