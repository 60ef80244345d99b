@area:rest
Feature: Data at rest is encrypted with a customer-managed key that cannot be lost or misused
  With a customer-managed key the customer, not Microsoft, controls the key that wraps the data
  encryption key; if the key is deleted, disabled or expires, or the server's identity loses access,
  the server becomes inaccessible within minutes. So the key, its vault and the identity are held to
  the documented requirements one by one, each with its own evidence. The strict profile requires a
  customer-managed key; once one is configured, its requirements apply in every profile. With
  geo-redundant backup the copies in the paired region have a key of their own, held to the same
  requirements (its vault's region excepted: it belongs in the paired region). Read from Azure
  Resource Manager and Key Vault (on the Azure stand-in in the lab, and labelled so).

  @control:rest.cmk-configured @plane
  Scenario: The server encrypts with a customer-managed key
    When the server's data encryption settings are read from Azure Resource Manager
    Then the encryption type is a key in Azure Key Vault
    And a user-assigned identity assigned to the server reaches the key
    And Azure does not report the server inaccessible for want of its key

  @control:rest.cmk-key-requirements @plane
  Scenario: The key meets every documented requirement
    When the server's key is read from Key Vault
    Then the key type is RSA or RSA-HSM
    And the key size is 2048, 3072 or 4096 bits
    And the key is enabled
    And the key's activation date is unset or in the past
    And the key has no expiry date
    And the key's recovery level is Recoverable
    And the geo-backup key, if the server has one, meets the same requirements

  @control:rest.cmk-vault-protection @plane
  Scenario: The key's vault protects it from deletion
    When the key's vault is read from Azure Resource Manager
    Then soft delete is on
    And deleted keys are kept 90 days
    And purge protection is on
    And the vault is in the server's tenant
    And the vault is in the server's region
    And the geo-backup key's vault, if the server has one, meets the same requirements, its region excepted

  @control:rest.cmk-identity-permissions @plane
  Scenario: The server's identity may use the key, and nothing more
    When the vault's access policies for the server's identity are read
    Then the identity may get the key
    And the identity may list the key's versions
    And the identity may wrap with the key
    And the identity may unwrap with the key
    And the identity holds no other key permission
    And the identity that reaches the geo-backup key, if the server has one, holds the same permissions

  @control:rest.cmk-rotation @plane
  Scenario: The key rotates automatically and the server follows it
    When the key's rotation policy and the version the server uses are read
    Then the policy rotates the key automatically
    And the server names the key without a version, so it follows each new one

  @control:rest.cmk-vault-audited @plane
  Scenario: Every use of the key is recorded outside the vault
    When the vault's diagnostic settings are read
    Then a setting sends the vault's AuditEvent logs to a workspace, storage account or event hub
