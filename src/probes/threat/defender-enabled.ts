import { CannotObserve, defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { securityClient } from '../plane/plane-clients.js';
import { listAll, planeRead, ROLES } from '../plane/plane-errors.js';
import { planeSession } from '../plane/plane-session.js';
import { sameResourceId } from '../plane/resource-id.js';
import { serverThreatProtection } from '../plane/server-facts.js';
import type { TargetContext } from '../target-context.js';

/** Defender's plan name for PostgreSQL, MySQL and MariaDB servers (a free string in the swagger, no enum). */
export const OSS_DATABASES_PLAN = 'OpenSourceRelationalDatabases';

export interface SecurityAlertFacts {
  alertType?: string;
  displayName?: string;
  severity?: string;
  status?: string;
  startTime?: string;
}

export interface DefenderEvidence {
  plane: string;
  server: string;
  /** The subscription's plan tier ("Free", "Standard"), or why it could not be read. */
  subscriptionPlan: { tier?: string; unreadable?: string };
  /** The server's advanced threat protection state ("Enabled", "Disabled"), or why it could not be read. */
  serverSetting: { state?: string; unreadable?: string };
  /** Defender's alerts that name this server (e.g. brute force), or why they could not be read; shown, not judged. */
  alerts: { items: SecurityAlertFacts[]; unreadable?: string };
}

/**
 * The server's own advanced threat protection state decides: it is what Azure Policy's built-in
 * "Azure Defender for SQL should be enabled for unprotected PostgreSQL flexible servers"
 * (d38668f5-d155-42c7-ab3d-9b57b50f8fbf) audits, and a server can say Disabled under a Standard plan.
 * The subscription's plan is shown beside it, never in its place.
 */
export function judgeDefender(evidence: DefenderEvidence): Judgement {
  const where = `${evidence.server} (${evidence.plane})`;
  const tier = evidence.subscriptionPlan.tier;
  const state = evidence.serverSetting.state;
  const alerts = evidence.alerts.unreadable ? `alerts not read: ${evidence.alerts.unreadable}` : `${evidence.alerts.items.length} Defender alerts name the server${evidence.alerts.items.length ? ` (${evidence.alerts.items.map((alert) => `${alert.alertType} ${alert.severity} ${alert.status}`).join(', ')})` : ''}`;
  const plan = tier ? `the subscription's ${OSS_DATABASES_PLAN} plan is ${tier}` : `the subscription's plan could not be read (${evidence.subscriptionPlan.unreadable})`;
  const setting = state ? `the server's advanced threat protection is ${state}` : `the server's own setting could not be read (${evidence.serverSetting.unreadable})`;
  if (state?.toLowerCase() === 'enabled') return passed(`Defender for open-source relational databases covers ${where}: ${plan}; ${setting}; ${alerts}`);
  if (state?.toLowerCase() === 'disabled') {
    const disagreement = tier?.toLowerCase() === 'standard' ? ' (the plan and the server disagree: the server\'s own setting, which Azure Policy audits, says it is not protected)' : '';
    return failed(`Defender for open-source relational databases is off for ${where}: ${plan}; ${setting}${disagreement}`);
  }
  if (state !== undefined) return undecided(`the server's advanced threat protection state "${state}" on ${where} is a value this check does not know; ${plan}`);
  return undecided(`Defender's coverage of ${where} cannot be told without the server's own setting: ${setting}; ${plan}`);
}

async function readDefender(context: TargetContext): Promise<DefenderEvidence> {
  const session = await planeSession(context);
  const unreadable = (error: unknown) => (error instanceof CannotObserve ? error.message : String(error));
  const subscriptionPlan = await (async () => {
    try {
      const client = await securityClient(session);
      const pricing = await planeRead(session, `the Defender plan ${OSS_DATABASES_PLAN} of subscription ${session.server.subscriptionId}`, ROLES.securityReader, (abortSignal) => client.pricings.get(OSS_DATABASES_PLAN, { abortSignal }), true);
      return pricing ? { tier: pricing.pricingTier } : { unreadable: 'the subscription has no such plan (HTTP 404)' };
    } catch (error) {
      return { unreadable: unreadable(error) };
    }
  })();
  const serverSetting = await serverThreatProtection(context).then(
    (state) => (state ? { state } : { unreadable: 'the server has no advanced threat protection setting' }),
    (error) => ({ unreadable: unreadable(error) }),
  );
  const alerts = await (async () => {
    try {
      const client = await securityClient(session);
      const all = await planeRead(session, `the Defender alerts of resource group ${session.server.resourceGroup}`, ROLES.securityReader, () => listAll(client.alerts.listByResourceGroup(session.server.resourceGroup)));
      const mine = (all ?? []).filter((alert) => (alert.resourceIdentifiers ?? []).some((identifier) => sameResourceId((identifier as { azureResourceId?: string }).azureResourceId, session.server.id)));
      return { items: mine.map((alert) => ({ alertType: alert.alertType, displayName: alert.alertDisplayName, severity: alert.severity, status: alert.status, startTime: alert.startTimeUtc?.toISOString() })) };
    } catch (error) {
      return { items: [], unreadable: unreadable(error) };
    }
  })();
  return { plane: session.cloud.label, server: session.server.name, subscriptionPlan, serverSetting, alerts };
}

export const defenderEnabledCheck = defineCheck<DefenderEvidence>({
  id: 'threat.defender-enabled',
  evidenceTitle: 'Defender for open-source relational databases: plan, server setting and alerts',
  read: readDefender,
  judge: judgeDefender,
});
