import { defineCheck, NothingToJudge } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
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

/** Server states in which a replica is no copy to promote now; transient ones (Updating, Restarting, Starting) still are. */
const UNUSABLE_STATES = ['dropping', 'disabled', 'stopped', 'stopping', 'inaccessible', 'provisioning'];
const USABLE_STATES = ['ready', 'updating', 'restarting', 'starting'];
/** PostgreSQL replication states in which the replica no longer (or not yet) follows its source. */
const NOT_REPLICATING = ['broken', 'provisioning'];
/** PostgreSQL replication states in which it follows its source (or catches up, or is being changed). */
const REPLICATING = ['active', 'catchup', 'updating', 'reconfiguring'];

/** Whether a replica is a copy one could promote: true, false, or undefined when its state was not reported or is unknown. */
export function replicaUsable(replica: ReplicaFacts): { usable: boolean | undefined; why: string } {
  const state = replica.state?.toLowerCase();
  const replication = replica.replicationState?.toLowerCase();
  if (replication !== undefined && NOT_REPLICATING.includes(replication)) return { usable: false, why: `replication ${replica.replicationState}` };
  if (replication !== undefined && !REPLICATING.includes(replication)) return { usable: undefined, why: `replication "${replica.replicationState}", a value this check does not know` };
  if (state === undefined) return { usable: undefined, why: 'state not reported' };
  if (UNUSABLE_STATES.includes(state)) return { usable: false, why: `state ${replica.state}` };
  if (!USABLE_STATES.includes(state)) return { usable: undefined, why: `state "${replica.state}", a value this check does not know` };
  return { usable: true, why: `${replica.state}${replica.replicationState ? `, replication ${replica.replicationState}` : ''}` };
}

export function judgeReadReplica(evidence: ReadReplicaEvidence): Judgement {
  const where = `${evidence.server} (${evidence.location ?? 'region not reported'}) on ${evidence.plane}`;
  const listed = evidence.replicas.map((replica) => `${replica.name} in ${replica.location ?? 'an unreported region'} (${replicaUsable(replica).why})`).join(', ');
  if (evidence.location === undefined && evidence.replicas.length > 0) {
    // Without the server's own region no replica can be said to be elsewhere (sameRegion is false for an unknown region).
    return undecided(`${where} lists ${evidence.replicas.length} read replicas, but the server's own region is not reported, so whether any is in another region cannot be told: ${listed}`);
  }
  const elsewhere = evidence.replicas.filter((replica) => replica.location !== undefined && !sameRegion(replica.location, evidence.location));
  // A replica elsewhere counts only while it is one to promote: a stopped, dropping or broken one is no disaster-recovery copy.
  const usable = elsewhere.filter((replica) => replicaUsable(replica).usable === true);
  if (usable.length > 0) return passed(`${evidence.replicas.length} read replicas of ${where} listed, ${usable.length} usable in another region: ${listed}`);
  if (evidence.replicas.length === 0) return failed(`${where} has no read replica: no copy in another region to promote after a regional outage`);
  if (elsewhere.some((replica) => replicaUsable(replica).usable === undefined)) return undecided(`whether the read replicas of ${where} in another region can be promoted cannot be told: ${listed}`);
  if (elsewhere.length > 0) return failed(`${where} has ${elsewhere.length} read replicas in another region, none usable: ${listed}`);
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
