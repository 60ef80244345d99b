import type { Endpoint } from '../../targets/target.js';
import { askPostgresToAuthenticate, type StartupEvidence } from '../../sessions/postgres-startup.js';
import { firstContact, type FirstContactEvidence } from './first-contact.js';

/** Everything a reach probe needs; plain data, so a probe in another network namespace can take it as JSON. */
export interface ReachRequest {
  endpoint: Endpoint;
  /** Names the startup message carries on PostgreSQL; no password is ever sent. */
  user: string;
  database: string;
  /** The host name for TLS SNI, as the target dials it. */
  serverName: string;
}

export interface ReachEvidence extends FirstContactEvidence {
  /**
   * PostgreSQL only, after it answered the SSLRequest: whether it goes on to authenticate this
   * source (pg_hba lets it try a login) or refuses it first. A second connection, without password.
   */
  startup?: StartupEvidence;
}

/** How far a connection from this process's network position gets, short of any login. */
export async function reachServer(request: ReachRequest): Promise<ReachEvidence> {
  const first = await firstContact(request.endpoint);
  if (first.contact.kind !== 'postgres-ssl-answer' || first.contact.answer === 'E') return first;
  const startup = await askPostgresToAuthenticate(request.endpoint, {
    user: request.user,
    database: request.database,
    transport: first.contact.answer === 'S' ? 'tls' : 'plaintext',
    host: request.serverName,
  });
  return { ...first, startup };
}
