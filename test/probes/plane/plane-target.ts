import type { AzureStandIn, StandInRoles } from '../../../src/lab/azure-stand-in/azure-stand-in.js';
import { rememberAzureClientSecret } from '../../../src/targets/secret-store.js';
import type { Engine, ProfileName, Target } from '../../../src/targets/target.js';
import { TargetContext } from '../../../src/probes/target-context.js';

let serial = 0;

/** A plane-only target for one stand-in server, signed in as a new service principal with `roles`. */
export function standInTarget(standIn: AzureStandIn, resourceId: string, options: { profile?: ProfileName; roles?: StandInRoles; withoutSecret?: boolean } = {}): Target {
  const registration = standIn.register(options.roles);
  const name = `plane-${++serial}`;
  if (!options.withoutSecret) rememberAzureClientSecret(name, registration.clientSecret);
  const engine: Engine = /DBforPostgreSQL/i.test(resourceId) ? 'postgres' : 'mysql';
  return {
    name,
    engine,
    host: resourceId.split('/').pop()!,
    port: engine === 'postgres' ? 5432 : 3306,
    profile: options.profile ?? 'strict',
    timeoutMs: 5000,
    minCertDaysLeft: 30,
    planeOnly: true,
    azure: {
      resourceId,
      tenantId: standIn.tenantId,
      clientId: registration.clientId,
      authorityHost: standIn.authorityHost,
      armEndpoint: standIn.armEndpoint,
      caFile: standIn.caFile,
    },
  };
}

export function contextFor(target: Target): TargetContext {
  return new TargetContext(target);
}
