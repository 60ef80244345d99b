@area:access
Feature: Access is scoped to where and when it is needed
  An account open to every host is open to attackers on every host, and a person's standing
  login outlives the task it was granted for. Sensitive columns stay masked for the roles that
  should see only the masked form.

  @control:access.no-wildcard-hosts
  Scenario: No account can log in from any host
    When the accounts and their hosts are read from the catalog
    Then no account is open to every host unless declared

  @control:access.time-bound
  Scenario: People's logins expire
    When the login roles and their expiry are read from the catalog
    Then every login role of a person carries an expiry

  @control:access.masking
  Scenario: The masked role never sees raw sensitive values
    When the masked role and the owner read the declared sensitive columns
    Then the masked role sees none of the owner's raw values
