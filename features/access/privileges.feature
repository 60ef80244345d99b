@area:access
Feature: Accounts hold only the rights their work needs
  The application's account runs the application, not the server. Ordinary accounts may not
  create roles or databases, replicate, touch server files, hand on their rights or build in
  schemas they do not own, and nobody may create objects in the shared public schema.

  @control:access.app-not-superuser
  Scenario: The application account is not a superuser
    When the application account's privileges are read from the catalog
    Then it holds no superuser power, directly or through a role

  @control:access.least-privilege
  Scenario: Ordinary accounts hold no administrative rights
    When the privileges of every account are read from the catalog
    Then no ordinary account holds an administrative right beyond the declared ones

  @control:access.public-schema
  Scenario: Nobody may create objects in schema public
    When the privileges on schema public are read from the catalog
    Then PUBLIC may not create in it
