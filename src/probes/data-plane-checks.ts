import { auditExtension } from './audit/audit-extension.js';
import { clockSync } from './audit/clock-sync.js';
import { connectionsLogged } from './audit/connections-logged.js';
import { failedLoginsRecorded } from './audit/failed-logins-recorded.js';
import { pitrReady } from './backup/pitr-ready.js';
import { tablespacesEncrypted } from './rest/tablespaces-encrypted.js';

/** The checks of the data-plane audit, backup and rest controls, keyed by control id, for main's CHECKS table. */
export const DATA_PLANE_CHECKS = {
  'audit.connections-logged': connectionsLogged,
  'audit.failed-logins-recorded': failedLoginsRecorded,
  'audit.audit-extension': auditExtension,
  'audit.clock-sync': clockSync,
  'backup.pitr-ready': pitrReady,
  'rest.tablespaces-encrypted': tablespacesEncrypted,
} as const;
