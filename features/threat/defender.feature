@area:threat
Feature: Microsoft Defender watches the server
  Defender for open-source relational databases raises alerts on brute force, unusual access and
  SQL injection. The server's own advanced threat protection setting decides whether it is on (the
  setting Azure Policy audits); the subscription's plan is shown beside it, and a Standard plan over
  a server that says Disabled does not count as on. The alerts Defender has raised for the server are
  listed with the evidence (on the Azure stand-in, a canned brute-force alert), so they can be set
  beside what the detection controls saw. Required in every profile.

  @control:threat.defender-enabled @plane
  Scenario: Defender for open-source relational databases is on for the server
    When the subscription's Defender plan and the server's threat protection setting are read
    Then Defender covers the server
