import { startLocalServer, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import type { Check } from '../../../src/probes/check.js';
import { observeWith } from '../../../src/probes/control-observation.js';
import type { Judgement } from '../../../src/controls/judgement.js';
import { TargetContext } from '../../../src/probes/target-context.js';
import type { Engine, Target } from '../../../src/targets/target.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';

export interface Decided {
  verdict: Judgement['verdict'] | 'skipped';
  reason: string;
  evidence?: unknown;
}

let counter = 0;

/** Runs one check's read and judge against a lab server, as the pipeline would. */
export async function decide(check: Check<unknown>, target: Target, context = new TargetContext(target)): Promise<Decided> {
  const observation = await observeWith(check, context);
  if (observation.kind === 'nothing-to-judge') return { verdict: 'skipped', reason: observation.reason };
  if (observation.kind === 'unobservable') return { verdict: 'undecided', reason: observation.reason, evidence: observation.evidence };
  return { ...check.judge(observation.evidence, target), evidence: observation.evidence };
}

/** `postgresVersion`: a PostgreSQL major from the version cache; absent, the machine's own. */
export async function labTarget(engine: Engine, configuration: string, postgresVersion?: number): Promise<{ server: LocalServer; target: Target }> {
  const server = await startLocalServer(engine, configuration, { mode: 'process', ...(postgresVersion === undefined ? {} : { postgresVersion }) });
  return { server, target: targetForLocalServer(`${engine}-${configuration}-${++counter}`, server, 'baseline') };
}

/**
 * A lab MariaDB in `configuration`, its target, and root over its socket: what the lab tests use to
 * make accounts and grants its fixtures never do, judge, and undo.
 */
export async function labMariaDbWithRoot(configuration = 'hardened'): Promise<{ target: Target; asRoot: (sql: string) => Promise<string> }> {
  const { server, target } = await labTarget('mysql', configuration);
  return { target, asRoot: asMariaDbRoot(server) };
}
