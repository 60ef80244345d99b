@area:network
Feature: Azure keeps the server off the open internet
  What Azure Resource Manager says about a flexible server's network is read from the control plane
  (on the Azure stand-in in the lab, and labelled so). Public access lets anyone on the internet try
  the server, kept out only by the firewall rules; the strict profile expects it disabled, so the
  server is reached through private access alone. Firewall rules are judged in every profile: the
  0.0.0.0 rule that "allows all Azure services" lets in the resources of every Azure customer, and a
  rule spanning half of the IPv4 space or more is as good as none. Without Azure credentials these
  controls are skipped; when Azure refuses the read, they are undecided, naming the missing role.

  @control:network.public-access-disabled @plane
  Scenario: Public network access is disabled
    When the server's network settings are read from Azure Resource Manager
    Then public network access is disabled

  @control:network.no-open-firewall @plane
  Scenario: No firewall rule opens the server to all of Azure or most of the internet
    When the server's firewall rules are listed from Azure Resource Manager
    Then no rule is the 0.0.0.0 "allow all Azure services" rule
    And no rule spans half of the IPv4 space or more
