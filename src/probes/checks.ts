import type { Check } from './check.js';
import type { ControlId } from '../controls/catalogue.js';
import { noTls10, noTls11, offersTls12, offersTls13, tls13Only } from './transport/tls-version-checks.js';
import { tlsRequired } from './transport/tls-required-check.js';
import { onEveryTlsPath } from './transport/every-tls-path.js';
import { strongCiphers } from './transport/strong-ciphers-check.js';
import { certHostname, certKey, certSignature, certTrusted, certValidity } from './transport/certificate-checks.js';
import { noPasswordless } from './auth/passwordless.js';
import { noAnonymous } from './auth/anonymous.js';
import { passwordDisabled, wrongPasswordRejected } from './auth/password-logins.js';
import { scram } from './auth/postgres-auth-methods.js';
import { strongPlugin } from './auth/strong-plugin.js';
import { lockout } from './auth/lockout.js';
import { noDefaultAdmin } from './auth/default-admin.js';
import { entraToken } from './identity/entra-token-check.js';
import { appNotSuperuser } from './access/app-not-superuser.js';
import { leastPrivilege } from './access/least-privilege.js';
import { publicSchema } from './access/public-schema.js';
import { noWildcardHosts } from './access/wildcard-hosts.js';
import { timeBound } from './access/time-bound.js';
import { masking } from './access/masking.js';
import { allowlist, noBanner, privateEndpoint } from './network/network-checks.js';
import { restoreDrillCheck } from './backup/restore-drill.js';
import { publicAccessDisabledCheck } from './network/public-access-disabled.js';
import { noOpenFirewallCheck } from './network/no-open-firewall.js';
import { cmkConfiguredCheck } from './rest/cmk-configured.js';
import { cmkKeyRequirementsCheck } from './rest/cmk-key-requirements.js';
import { cmkVaultProtectionCheck } from './rest/cmk-vault-protection.js';
import { cmkIdentityPermissionsCheck } from './rest/cmk-identity-permissions.js';
import { cmkRotationCheck } from './rest/cmk-rotation.js';
import { cmkVaultAuditedCheck } from './rest/cmk-vault-audited.js';
import { backupRetentionCheck } from './backup/retention.js';
import { geoRedundantBackupCheck } from './backup/geo-redundant.js';
import { highAvailabilityCheck } from './backup/high-availability.js';
import { readReplicaCheck } from './backup/read-replica.js';
import { logsExportedCheck } from './audit/logs-exported.js';
import { defenderEnabledCheck } from './threat/defender-enabled.js';

/**
 * The check behind every control in the catalogue. Keyed by the typed control id, so a control
 * without a check, or a key the catalogue does not know, does not compile; test/probes/checks.test.ts
 * holds every check to the id it is filed under.
 */
// Evidence types differ per check; the table only promises each is some Check.
import { auditExtension } from './audit/audit-extension.js';
import { clockSync } from './audit/clock-sync.js';
import { connectionsLogged } from './audit/connections-logged.js';
import { failedLoginsRecorded } from './audit/failed-logins-recorded.js';
import { pitrReady } from './backup/pitr-ready.js';
import { tablespacesEncrypted } from './rest/tablespaces-encrypted.js';

export const CHECKS: { readonly [Id in ControlId]: Check<any> } = {
  'transport.tls-required': tlsRequired,
  'transport.no-tls1.0': onEveryTlsPath(noTls10),
  'transport.no-tls1.1': onEveryTlsPath(noTls11),
  'transport.tls1.2': onEveryTlsPath(offersTls12),
  'transport.tls1.3': onEveryTlsPath(offersTls13),
  'transport.tls1.3-only': onEveryTlsPath(tls13Only),
  'transport.strong-ciphers': onEveryTlsPath(strongCiphers),
  'transport.cert-trusted': onEveryTlsPath(certTrusted),
  'transport.cert-hostname': onEveryTlsPath(certHostname),
  'transport.cert-validity': onEveryTlsPath(certValidity),
  'transport.cert-key': onEveryTlsPath(certKey),
  'transport.cert-signature': onEveryTlsPath(certSignature),
  'auth.no-passwordless': noPasswordless,
  'auth.no-anonymous': noAnonymous,
  'auth.wrong-password-rejected': wrongPasswordRejected,
  'auth.scram': scram,
  'auth.strong-plugin': strongPlugin,
  'auth.password-disabled': passwordDisabled,
  'auth.lockout': lockout,
  'auth.no-default-admin': noDefaultAdmin,
  'auth.entra-token': entraToken,
  'access.app-not-superuser': appNotSuperuser,
  'access.least-privilege': leastPrivilege,
  'access.public-schema': publicSchema,
  'access.no-wildcard-hosts': noWildcardHosts,
  'access.time-bound': timeBound,
  'access.masking': masking,
  'network.allowlist': allowlist,
  'network.no-banner': noBanner,
  'network.private-endpoint': privateEndpoint,
  'backup.restore-drill': restoreDrillCheck,
  'network.public-access-disabled': publicAccessDisabledCheck,
  'network.no-open-firewall': noOpenFirewallCheck,
  'rest.cmk-configured': cmkConfiguredCheck,
  'rest.cmk-key-requirements': cmkKeyRequirementsCheck,
  'rest.cmk-vault-protection': cmkVaultProtectionCheck,
  'rest.cmk-identity-permissions': cmkIdentityPermissionsCheck,
  'rest.cmk-rotation': cmkRotationCheck,
  'rest.cmk-vault-audited': cmkVaultAuditedCheck,
  'backup.retention': backupRetentionCheck,
  'backup.geo-redundant': geoRedundantBackupCheck,
  'backup.high-availability': highAvailabilityCheck,
  'backup.read-replica': readReplicaCheck,
  'audit.logs-exported': logsExportedCheck,
  'threat.defender-enabled': defenderEnabledCheck,
  'audit.connections-logged': connectionsLogged,
  'audit.failed-logins-recorded': failedLoginsRecorded,
  'audit.audit-extension': auditExtension,
  'audit.clock-sync': clockSync,
  'backup.pitr-ready': pitrReady,
  'rest.tablespaces-encrypted': tablespacesEncrypted,
};

export function checkFor(id: ControlId): Check {
  return CHECKS[id];
}
