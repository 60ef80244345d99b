import { startLocalServer } from '../lab/local-server.js';
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
  // Its listeners do not keep the process alive, and it holds nothing on disk.
  const { targets: plane } = await startDemoPlaneTargets(profile);
  return [...local, ...plane];
}
