import { defineCheck } from '../check.js';
import { failed, passed, type Judgement } from '../../controls/judgement.js';
import { cmkFacts, vaultDiagnosticSettings } from '../plane/cmk-facts.js';
import { exportsLogs, type DiagnosticSettingFacts } from '../plane/diagnostic-settings.js';

export interface VaultAuditEvidence {
  plane: string;
  vault: string;
  settings: DiagnosticSettingFacts[];
}

export function judgeVaultAudited(evidence: VaultAuditEvidence): Judgement {
  const where = `the vault ${evidence.vault} (${evidence.plane})`;
  const exporting = evidence.settings.filter((setting) => exportsLogs(setting, ['AuditEvent']));
  if (exporting.length > 0) return passed(`${evidence.settings.length} diagnostic settings of ${where} read; ${exporting.map((setting) => `${setting.name} sends AuditEvent logs to ${setting.destinations.join(', ')}`).join('; ')}`);
  if (evidence.settings.length === 0) return failed(`${where} has no diagnostic setting: who used or changed the key is recorded nowhere that outlives the vault`);
  return failed(`none of the ${evidence.settings.length} diagnostic settings of ${where} sends AuditEvent logs anywhere (${evidence.settings.map((setting) => `${setting.name}: ${[...setting.enabledCategories, ...setting.enabledCategoryGroups].join(', ') || 'no logs'}`).join('; ')})`);
}

export const cmkVaultAuditedCheck = defineCheck<VaultAuditEvidence>({
  id: 'rest.cmk-vault-audited',
  evidenceTitle: "the key vault's diagnostic settings",
  async read(context) {
    const facts = await cmkFacts(context);
    return { plane: facts.plane, vault: facts.vault.name, settings: await vaultDiagnosticSettings(context) };
  },
  judge: judgeVaultAudited,
});
