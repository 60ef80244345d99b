import { defineCheck, NothingToJudge } from '../check.js';
import { failed, passed, type Judgement } from '../../controls/judgement.js';
import { replicas, serverFacts, type ReplicaFacts } from '../plane/server-facts.js';
import { isReadReplica } from './geo-redundant.js';

export interface ReadReplicaEvidence {
  plane: string;
  server: string;
  location?: string;
  replicas: ReplicaFacts[];
}

/** "Southeast Asia" and "southeastasia" are one region. */
export function sameRegion(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();
}

export function judgeReadReplica(evidence: ReadReplicaEvidence): Judgement {
  const where = `${evidence.server} (${evidence.location ?? 'region not reported'}) on ${evidence.plane}`;
  const listed = evidence.replicas.map((replica) => `${replica.name} in ${replica.location ?? 'an unreported region'}`).join(', ');
  const elsewhere = evidence.replicas.filter((replica) => replica.location !== undefined && !sameRegion(replica.location, evidence.location));
  if (elsewhere.length > 0) return passed(`${evidence.replicas.length} read replicas of ${where} listed, ${elsewhere.length} in another region: ${listed}`);
  if (evidence.replicas.length === 0) return failed(`${where} has no read replica: no copy in another region to promote after a regional outage`);
  return failed(`${where} has ${evidence.replicas.length} read replicas, none in another region: ${listed}`);
}

export const readReplicaCheck = defineCheck<ReadReplicaEvidence>({
  id: 'backup.read-replica',
  evidenceTitle: 'read replicas, as Azure Resource Manager lists them',
  async read(context) {
    const server = await serverFacts(context);
    if (isReadReplica(server.replicationRole)) throw new NothingToJudge(`${server.name} is itself a read replica (${server.replicationRole}); the replica control applies to its source server`);
    return { plane: server.plane, server: server.name, location: server.location, replicas: await replicas(context) };
  },
  judge: judgeReadReplica,
});
