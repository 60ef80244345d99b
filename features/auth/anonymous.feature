@area:auth
Feature: Nobody gets in without a name
  An anonymous MySQL account matches any user name, so a stranger who types any name at all is
  let in. There must be none.

  @control:auth.no-anonymous
  Scenario: The empty user name and an unknown user name are refused
    When the empty user name and a made-up user name log in without a password
    Then both are refused and the catalog holds no anonymous account
