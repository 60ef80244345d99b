@area:auth
Feature: Only the right password opens an account
  Every account must prove who it is. No account may be entered without a password, a wrong
  password must be turned away as bad credentials (not with a crash or a hang), and where the
  profile expects Microsoft Entra ID only, even the right local password must not work.

  @control:auth.no-passwordless
  Scenario: No account logs in without a password
    When every account the server knows is asked to log in without a password
    Then no account gets in without one

  @control:auth.wrong-password-rejected
  Scenario: A wrong password is refused as bad credentials
    When the application account logs in with a wrong password
    Then the server refuses it as bad credentials

  @control:auth.password-disabled
  Scenario: Local password logins are switched off where Entra ID is the only way in
    When every declared local account logs in with its right password
    Then the server refuses every password login
