import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { serverFacts } from '../plane/server-facts.js';

export interface HighAvailabilityEvidence {
  plane: string;
  server: string;
  mode?: string;
  state?: string;
  /** The server's zone, as ARM reports it: "1", "2", "3"; "" in a region without zones; undefined when not reported. */
  availabilityZone?: string;
}

export function judgeHighAvailability(evidence: HighAvailabilityEvidence): Judgement {
  const where = `${evidence.server} on ${evidence.plane}`;
  const mode = evidence.mode;
  if (mode === undefined) return undecided(`${where} reports no high-availability mode`);
  if (mode.toLowerCase() === 'disabled') return failed(`high availability is ${mode} on ${where}: no standby takes over if the server or its zone fails`);
  if (!['zoneredundant', 'samezone'].includes(mode.toLowerCase())) return undecided(`high-availability mode "${mode}" on ${where} is a value this check does not know`);
  if (mode.toLowerCase() === 'samezone') {
    // CONTROLS.md: zone-redundant where the region has zones. A server placed in a zone shows its region has them.
    const zone = evidence.availabilityZone;
    if (zone === undefined) return undecided(`high availability is ${mode} on ${where}, and the server reports no availability zone: whether its region offers zone-redundant high availability cannot be told`);
    if (zone.trim() !== '') return failed(`high availability is ${mode} on ${where}, though the server sits in availability zone ${zone}, so its region has zones: the standby shares the primary's zone, and a zone outage takes both (ZoneRedundant is required where the region has zones)`);
  }
  const placement = mode.toLowerCase() === 'samezone' ? ' (the server reports no availability zone: a region without zones)' : '';
  if (evidence.state?.toLowerCase() === 'healthy') return passed(`high availability is ${mode} with a Healthy standby on ${where}${placement}`);
  return failed(`high availability is ${mode} on ${where}, but the standby is ${evidence.state ?? 'in an unreported state'}, not Healthy`);
}

export const highAvailabilityCheck = defineCheck<HighAvailabilityEvidence>({
  id: 'backup.high-availability',
  evidenceTitle: 'high availability, as Azure Resource Manager reports it',
  async read(context) {
    const server = await serverFacts(context);
    return { plane: server.plane, server: server.name, mode: server.highAvailability?.mode, state: server.highAvailability?.state, availabilityZone: server.availabilityZone };
  },
  judge: judgeHighAvailability,
});
