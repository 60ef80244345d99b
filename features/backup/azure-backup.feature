@area:backup
Feature: The server survives the loss of its zone or its region
  Azure takes the backups and keeps the standby and replicas; only its control plane can say how
  (on the Azure stand-in in the lab, and labelled so). Backups are kept at least 7 days in every
  profile and at least 35 in strict; more is never a finding. The strict profile also expects the
  backups copied to the paired region, a healthy high-availability standby (zone-redundant when the
  server sits in an availability zone), and a read replica in another region that can be promoted
  (not stopped, dropping or broken). A read replica cannot have geo-redundant backup of its own, so
  it is not judged for it, and says why.

  @control:backup.retention @plane
  Scenario: Backups are kept long enough
    When the server's backup settings are read from Azure Resource Manager
    Then backups are kept at least as many days as the profile asks

  @control:backup.geo-redundant @plane
  Scenario: Backups are copied to another region
    When the server's backup settings are read from Azure Resource Manager
    Then geo-redundant backup is enabled

  @control:backup.high-availability @plane
  Scenario: A standby takes over when the server fails
    When the server's high-availability settings are read from Azure Resource Manager
    Then high availability is on and its standby is healthy

  @control:backup.read-replica @plane
  Scenario: A replica in another region can be promoted
    When the server's read replicas are listed from Azure Resource Manager
    Then at least one replica is in another region
