import type { Check } from '../../controls/check.js';
import { publicAccessDisabledCheck } from '../network/public-access-disabled.js';
import { noOpenFirewallCheck } from '../network/no-open-firewall.js';
import { cmkConfiguredCheck } from '../rest/cmk-configured.js';
import { cmkKeyRequirementsCheck } from '../rest/cmk-key-requirements.js';
import { cmkVaultProtectionCheck } from '../rest/cmk-vault-protection.js';
import { cmkIdentityPermissionsCheck } from '../rest/cmk-identity-permissions.js';
import { cmkRotationCheck } from '../rest/cmk-rotation.js';
import { cmkVaultAuditedCheck } from '../rest/cmk-vault-audited.js';
import { backupRetentionCheck } from '../backup/retention.js';
import { geoRedundantBackupCheck } from '../backup/geo-redundant.js';
import { highAvailabilityCheck } from '../backup/high-availability.js';
import { readReplicaCheck } from '../backup/read-replica.js';
import { logsExportedCheck } from '../audit/logs-exported.js';
import { defenderEnabledCheck } from '../threat/defender-enabled.js';

/** Every Azure plane check, one per catalogue id, for the lead to register with the pipeline. */
export const PLANE_CHECKS: ReadonlyArray<Check<any>> = [
  publicAccessDisabledCheck,
  noOpenFirewallCheck,
  cmkConfiguredCheck,
  cmkKeyRequirementsCheck,
  cmkVaultProtectionCheck,
  cmkIdentityPermissionsCheck,
  cmkRotationCheck,
  cmkVaultAuditedCheck,
  backupRetentionCheck,
  geoRedundantBackupCheck,
  highAvailabilityCheck,
  readReplicaCheck,
  logsExportedCheck,
  defenderEnabledCheck,
];
