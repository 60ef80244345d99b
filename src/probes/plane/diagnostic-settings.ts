import type { TargetContext } from '../target-context.js';
import { armList } from './arm-get.js';
import { ROLES } from './plane-errors.js';
import { planeSession, type PlaneSession } from './plane-session.js';

/** One diagnostic setting: where it sends logs, and which log categories (or groups) are on. */
export interface DiagnosticSettingFacts {
  name: string;
  destinations: string[];
  enabledCategories: string[];
  enabledCategoryGroups: string[];
}

/**
 * arm-monitor 7 (the last major for Node 20, no longer a dependency) asks for diagnostic settings in API 2017-05-01-preview,
 * which predates category groups ("audit", "allLogs"); a setting made with a group would look empty.
 * So the list is asked in 2021-05-01-preview through @azure/core-client's pipeline with the same
 * credential, endpoint, CA and retries (armList, which follows nextLink), and parsed here.
 */
const DIAGNOSTIC_SETTINGS_API = '2021-05-01-preview';

interface DiagnosticSettingBody {
  name?: string;
  properties?: {
    workspaceId?: string;
    storageAccountId?: string;
    eventHubAuthorizationRuleId?: string;
    eventHubName?: string;
    marketplacePartnerId?: string;
    logs?: Array<{ category?: string; categoryGroup?: string; enabled?: boolean }>;
  };
}

export async function diagnosticSettingsOf(session: PlaneSession, resourceId: string, what: string): Promise<DiagnosticSettingFacts[]> {
  // Every page: a setting on a later page is as real as one on the first.
  const found = await armList<DiagnosticSettingBody>(session, `${resourceId}/providers/Microsoft.Insights/diagnosticSettings`, DIAGNOSTIC_SETTINGS_API, what, ROLES.monitoringReader);
  return found.map(({ name, properties: setting = {} }) => ({
    name: name ?? '(unnamed)',
    destinations: [
      setting.workspaceId && `Log Analytics workspace ${setting.workspaceId}`,
      setting.storageAccountId && `storage account ${setting.storageAccountId}`,
      setting.eventHubAuthorizationRuleId && `event hub ${setting.eventHubName ?? ''} (${setting.eventHubAuthorizationRuleId})`,
      setting.marketplacePartnerId && `partner solution ${setting.marketplacePartnerId}`,
    ].filter((each): each is string => Boolean(each)),
    enabledCategories: (setting.logs ?? []).filter((log) => log.enabled && log.category).map((log) => log.category!),
    enabledCategoryGroups: (setting.logs ?? []).filter((log) => log.enabled && log.categoryGroup).map((log) => log.categoryGroup!),
  }));
}

/** The server's own diagnostic settings (audit.logs-exported). */
export function serverDiagnosticSettings(context: TargetContext): Promise<DiagnosticSettingFacts[]> {
  return context.once('plane:server-diagnostics', async () => {
    const session = await planeSession(context);
    return diagnosticSettingsOf(session, session.server.id, `the diagnostic settings of ${session.server.name}`);
  });
}

/** Whether a setting sends the wanted logs somewhere that outlives the resource: a category, or a group that includes it. */
export function exportsLogs(setting: DiagnosticSettingFacts, categories: readonly string[], groups: readonly string[] = ['audit', 'allLogs']): boolean {
  const lower = (list: readonly string[]) => list.map((each) => each.toLowerCase());
  const wantedCategories = lower(categories);
  const wantedGroups = lower(groups);
  return (
    setting.destinations.length > 0 &&
    (lower(setting.enabledCategories).some((category) => wantedCategories.includes(category)) || lower(setting.enabledCategoryGroups).some((group) => wantedGroups.includes(group)))
  );
}
