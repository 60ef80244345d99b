import { defineCheck, NothingToJudge } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { serverFacts } from '../plane/server-facts.js';

export interface GeoBackupEvidence {
  plane: string;
  server: string;
  geoRedundantBackup?: string;
  replicationRole?: string;
}

/** Roles Azure gives a read replica; neither PostgreSQL's "Primary" nor MySQL's "None"/"Source" is one. */
export function isReadReplica(role: string | undefined): boolean {
  return role !== undefined && /replica/i.test(role);
}

export function judgeGeoBackup(evidence: GeoBackupEvidence): Judgement {
  const value = evidence.geoRedundantBackup;
  const where = `${evidence.server} on ${evidence.plane}`;
  if (value === undefined) return undecided(`${where} reports no geoRedundantBackup setting`);
  if (value.toLowerCase() === 'enabled') return passed(`geo-redundant backup is ${value} on ${where}: backups are copied to the paired region`);
  if (value.toLowerCase() === 'disabled') return failed(`geo-redundant backup is ${value} on ${where}: a regional outage takes the backups with the server`);
  return undecided(`geoRedundantBackup is "${value}" on ${where}, a value this check does not know`);
}

export const geoRedundantBackupCheck = defineCheck<GeoBackupEvidence>({
  id: 'backup.geo-redundant',
  evidenceTitle: 'geo-redundant backup, as Azure Resource Manager reports it',
  async read(context) {
    const server = await serverFacts(context);
    const evidence = { plane: server.plane, server: server.name, geoRedundantBackup: server.geoRedundantBackup, replicationRole: server.replicationRole };
    if (isReadReplica(server.replicationRole)) {
      throw new NothingToJudge(`${server.name} is a read replica (${server.replicationRole}${server.sourceServerId ? ` of ${server.sourceServerId.split('/').pop()}` : ''}); Azure offers no geo-redundant backup for replicas, its source's backup covers it`, evidence);
    }
    return evidence;
  },
  judge: judgeGeoBackup,
});
