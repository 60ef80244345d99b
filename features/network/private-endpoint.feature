@area:network
Feature: The server is reached through a private endpoint
  With public access disabled, an Azure flexible server is reached through a private endpoint whose
  DNS name resolves to an address of the virtual network. If the name also resolves to a public
  address, clients can go around the private path. Every answer counts, A and AAAA alike: RFC 1918
  and IPv6 unique local addresses are private; shared CGNAT space (100.64/10) is not, and a loopback
  answer shows nothing about the network. Required in the strict profile, or when the target
  declares private access; the target may name the DNS servers to ask (the resolver inside the
  private network). When the target declares its Azure resource, a private address is not enough:
  Azure must list a private endpoint connection to the server that is Approved (a Pending, Rejected
  or Disconnected one carries no approved traffic), or the server must sit in a delegated subnet;
  a resource that cannot be read leaves the control undecided.

  @control:network.private-endpoint
  Scenario: The host name resolves only to private addresses
    When the target's host name is resolved
    Then every address it resolves to is private
