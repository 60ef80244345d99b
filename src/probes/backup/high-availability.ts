import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { serverFacts } from '../plane/server-facts.js';

export interface HighAvailabilityEvidence {
  plane: string;
  server: string;
  mode?: string;
  state?: string;
}

export function judgeHighAvailability(evidence: HighAvailabilityEvidence): Judgement {
  const where = `${evidence.server} on ${evidence.plane}`;
  const mode = evidence.mode;
  if (mode === undefined) return undecided(`${where} reports no high-availability mode`);
  if (mode.toLowerCase() === 'disabled') return failed(`high availability is ${mode} on ${where}: no standby takes over if the server or its zone fails`);
  if (!['zoneredundant', 'samezone'].includes(mode.toLowerCase())) return undecided(`high-availability mode "${mode}" on ${where} is a value this check does not know`);
  if (evidence.state?.toLowerCase() === 'healthy') return passed(`high availability is ${mode} with a Healthy standby on ${where}`);
  return failed(`high availability is ${mode} on ${where}, but the standby is ${evidence.state ?? 'in an unreported state'}, not Healthy`);
}

export const highAvailabilityCheck = defineCheck<HighAvailabilityEvidence>({
  id: 'backup.high-availability',
  evidenceTitle: 'high availability, as Azure Resource Manager reports it',
  async read(context) {
    const server = await serverFacts(context);
    return { plane: server.plane, server: server.name, mode: server.highAvailability?.mode, state: server.highAvailability?.state };
  },
  judge: judgeHighAvailability,
});
