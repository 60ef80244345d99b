import { rememberAzureClientSecret } from '../../targets/secret-store.js';
import type { ProfileName, Target } from '../../targets/target.js';
import { AzureStandIn } from './azure-stand-in.js';
import { pgServerId } from './stand-in-fleet.js';

/**
 * Plane-only demo targets on the Azure stand-in: every plane control passes on one of them and fails
 * on another, with as few targets as that takes. pg-compliant passes all; pg-noncompliant fails every
 * one it can while keeping a customer-managed key (so the key controls have a key to fail); the
 * official PostgreSQL example, with its service-managed key, fails rest.cmk-configured. (The
 * official MySQL example omits dataEncryption altogether, which leaves that control undecided.)
 */
export const DEMO_PLANE_SERVERS = [
  { name: 'azure-pg-compliant', resourceId: pgServerId('pg-compliant') },
  { name: 'azure-pg-noncompliant', resourceId: pgServerId('pg-noncompliant') },
  { name: 'azure-pg-example', resourceId: pgServerId('exampleserver') },
] as const;

export async function startDemoPlaneTargets(profile: ProfileName): Promise<{ targets: Target[]; standIn: AzureStandIn }> {
  // Its listeners are unref'd: a forgotten stand-in never keeps the process alive; the caller stops it.
  const standIn = await AzureStandIn.start();
  const registration = standIn.register();
  const targets = DEMO_PLANE_SERVERS.map(({ name, resourceId }): Target => {
    rememberAzureClientSecret(name, registration.clientSecret);
    const engine = /DBforPostgreSQL/i.test(resourceId) ? 'postgres' : 'mysql';
    return {
      name,
      engine,
      host: resourceId.split('/').pop()!,
      port: engine === 'postgres' ? 5432 : 3306,
      profile,
      timeoutMs: 5000,
      minCertDaysLeft: 30,
      planeOnly: true,
      origin: `Azure stand-in (not Azure): ${resourceId.split('/').pop()}, derived from the official example payloads`,
      azure: { resourceId, tenantId: standIn.tenantId, clientId: registration.clientId, authorityHost: standIn.authorityHost, armEndpoint: standIn.armEndpoint, caFile: standIn.caFile },
    };
  });
  return { targets, standIn };
}
