import { expectations, observations, pointExpectations, remainingPointExpectations } from './observe-and-judge.js';

// The Azure control plane: what only Azure Resource Manager, Key Vault and Azure Monitor know.
observations('When', [
  "the server's network settings are read from Azure Resource Manager",
  "the server's firewall rules are listed from Azure Resource Manager",
  "the server's data encryption settings are read from Azure Resource Manager",
  "the server's key is read from Key Vault",
  "the key's vault is read from Azure Resource Manager",
  "the vault's access policies for the server's identity are read",
  "the key's rotation policy and the version the server uses are read",
  "the vault's diagnostic settings are read",
  "the server's backup settings are read from Azure Resource Manager",
  "the server's high-availability settings are read from Azure Resource Manager",
  "the server's read replicas are listed from Azure Resource Manager",
  "the server's diagnostic settings are read from Azure Monitor",
  "the subscription's Defender plan and the server's threat protection setting are read",
]);

expectations([
  'public network access is disabled',
  'no rule is the 0.0.0.0 "allow all Azure services" rule',
  'no rule spans half of the IPv4 space or more',
  'the encryption type is a key in Azure Key Vault',
  'a user-assigned identity assigned to the server reaches the key',
  'Azure does not report the server inaccessible for want of its key',
  'the policy rotates the key automatically',
  'the server names the key without a version, so it follows each new one',
  "a setting sends the vault's AuditEvent logs to a workspace, storage account or event hub",
  'backups are kept at least as many days as the profile asks',
  'geo-redundant backup is enabled',
  'high availability is on and its standby is healthy',
  'at least one replica is in another region',
  "a setting sends the server's logs to a workspace, storage account or event hub",
  'the server writes the logs it exports, with the setting in force, not pending a restart',
  'Defender covers the server',
]);

// Seed 001's requirements, point by point: each step shows what was observed for its point.
pointExpectations({
  'the key type is RSA or RSA-HSM': 'key type',
  'the key size is 2048, 3072 or 4096 bits': 'key size',
  'the key is enabled': 'enabled',
  "the key's activation date is unset or in the past": 'activation date',
  'the key has no expiry date': 'expiry date',
  "the key's recovery level is Recoverable": 'recovery level',
  'soft delete is on': 'soft delete',
  'deleted keys are kept 90 days': 'soft-delete retention',
  'purge protection is on': 'purge protection',
  "the vault is in the server's tenant": 'same tenant',
  "the vault is in the server's region": 'same region',
  'the identity may get the key': 'identity may get',
  "the identity may list the key's versions": 'identity may list',
  'the identity may wrap with the key': 'identity may wrapKey',
  'the identity may unwrap with the key': 'identity may unwrapKey',
  'the identity holds no other key permission': 'nothing more',
});

// The geo-backup key's points, which no sentence above names: judged by the scenario's last step.
remainingPointExpectations([
  'the geo-backup key, if the server has one, meets the same requirements',
  "the geo-backup key's vault, if the server has one, meets the same requirements, its region excepted",
  'the identity that reaches the geo-backup key, if the server has one, holds the same permissions',
]);
