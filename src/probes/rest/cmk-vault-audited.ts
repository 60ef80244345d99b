import { defineCheck } from '../check.js';
import { failed, passed, type Judgement } from '../../controls/judgement.js';
import { cmkFacts, geoVaultDiagnosticSettings, vaultDiagnosticSettings } from '../plane/cmk-facts.js';
import { exportsLogs, type DiagnosticSettingFacts } from '../plane/diagnostic-settings.js';

export interface VaultAuditEvidence {
  plane: string;
  vault: string;
  settings: DiagnosticSettingFacts[];
  /** The geo-backup key's vault, when it is another one: its key use must be recorded too. */
  geoVault?: { vault: string; settings: DiagnosticSettingFacts[] };
}

/** Every vault holding one of the server's keys must send its AuditEvent logs somewhere. */
export function judgeVaultAudited(evidence: VaultAuditEvidence): Judgement {
  const primary = judgeOneVault(evidence.plane, evidence.vault, evidence.settings);
  if (!evidence.geoVault) return primary;
  const geo = judgeOneVault(evidence.plane, evidence.geoVault.vault, evidence.geoVault.settings, 'geo-backup ');
  const failing = [primary, geo].filter((judgement) => judgement.verdict === 'failed');
  if (failing.length > 0) return failed(failing.map((judgement) => judgement.reason).join('; and '));
  return passed(`${primary.reason}; and ${geo.reason}`);
}

function judgeOneVault(plane: string, vault: string, settings: DiagnosticSettingFacts[], kind = ''): Judgement {
  const where = `the ${kind}vault ${vault} (${plane})`;
  const exporting = settings.filter((setting) => exportsLogs(setting, ['AuditEvent']));
  if (exporting.length > 0) return passed(`${settings.length} diagnostic settings of ${where} read; ${exporting.map((setting) => `${setting.name} sends AuditEvent logs to ${setting.destinations.join(', ')}`).join('; ')}`);
  if (settings.length === 0) return failed(`${where} has no diagnostic setting: who used or changed the key is recorded nowhere that outlives the vault`);
  return failed(`none of the ${settings.length} diagnostic settings of ${where} sends AuditEvent logs anywhere (${settings.map((setting) => `${setting.name}: ${[...setting.enabledCategories, ...setting.enabledCategoryGroups].join(', ') || 'no logs'}`).join('; ')})`);
}

export const cmkVaultAuditedCheck = defineCheck<VaultAuditEvidence>({
  id: 'rest.cmk-vault-audited',
  evidenceTitle: "the key vault's diagnostic settings",
  async read(context) {
    const facts = await cmkFacts(context);
    const geoSettings = await geoVaultDiagnosticSettings(context);
    return {
      plane: facts.plane,
      vault: facts.vault.name,
      settings: await vaultDiagnosticSettings(context),
      ...(geoSettings && facts.geoBackup ? { geoVault: { vault: facts.geoBackup.vault.name, settings: geoSettings } } : {}),
    };
  },
  judge: judgeVaultAudited,
});
