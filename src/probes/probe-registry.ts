import type { Target } from '../targets/target.js';
import { TargetProbes } from './target-probes.js';

const probesByTarget = new Map<string, TargetProbes>();

/** One TargetProbes per target for the duration of its run, shared by all its scenarios. */
export function probesFor(target: Target): TargetProbes {
  let probes = probesByTarget.get(target.name);
  if (!probes) {
    probes = new TargetProbes(target);
    probesByTarget.set(target.name, probes);
  }
  return probes;
}

export function releaseProbes(targetName: string): TargetProbes | undefined {
  const probes = probesByTarget.get(targetName);
  probesByTarget.delete(targetName);
  return probes;
}
