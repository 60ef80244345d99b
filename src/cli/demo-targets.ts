import { startLocalServer, stopAlongsideLocalServers } from '../lab/local-server.js';
import type { ProfileName, Target } from '../targets/target.js';
import { targetForLocalServer } from '../lab/lab-target.js';
import { startDemoPlaneTargets } from '../lab/azure-stand-in/demo-plane-targets.js';

/** The embedded default: a hardened server of each engine, and a deliberately weak one for contrast. */
const DEMO_SERVERS = [
  { name: 'postgres-hardened', engine: 'postgres', configuration: 'hardened' },
  { name: 'mariadb-hardened', engine: 'mysql', configuration: 'hardened' },
  { name: 'postgres-legacy', engine: 'postgres', configuration: 'legacy' },
  { name: 'mariadb-legacy', engine: 'mysql', configuration: 'legacy' },
] as const;

/** The stand-in installs a PAM service (root only) and runs beside local processes, not containers. */
function canRunIdentityStandIn(): boolean {
  return process.getuid?.() === 0 && (process.env.DBCOMPLY_LAB || process.env.DBCOMPLY_FIXTURES) !== 'containers';
}

export async function startDemoTargets(profile: ProfileName, intrusive: boolean): Promise<Target[]> {
  // Entra ID cannot be reached from here: the hardened servers accept tokens from a local stand-in, and reports say so.
  const servers = await Promise.all(
    DEMO_SERVERS.map((demo) => startLocalServer(demo.engine, demo.configuration, { withIdentityStandIn: demo.configuration === 'hardened' && canRunIdentityStandIn() })),
  );
  const local = servers.map((server, index) => targetForLocalServer(DEMO_SERVERS[index].name, server, profile, intrusive));
  // Azure cannot be reached from here either: plane-only targets on the local Azure stand-in, labelled so.
  // It stops with the servers: its listeners are unref'd, but the connections the SDKs keep alive
  // to it are not, and held a finished run open until the CLI's grace period ran out.
  const { targets: plane, standIn } = await startDemoPlaneTargets(profile);
  stopAlongsideLocalServers(() => standIn.stop());
  return [...local, ...plane];
}
