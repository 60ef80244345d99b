import type { Observation } from '../../controls/observation.js';
import type { TargetContext } from '../target-context.js';
import { clockSync, type ClockEvidence } from './clock-sync.js';
import { controlObservationKey } from '../control-observation.js';

/**
 * The server's clock minus the harness's, as audit.clock-sync measured it (best sample, with half
 * its round trip as the error bar), or why it could not; recorded with the target's fingerprint so
 * an auditor can line its log timestamps up with the harness's. Undefined when the control did not run.
 */
export type ServerClockOffset =
  | { offsetMs: number; errorBarMs: number; roundTripMs: number; measuredAt: string; samples: number }
  | { offsetMs: 'unknown'; reason: string };

/** Reads the observation the run made; never queries the server itself. */
export async function serverClockOffsetOf(context: TargetContext): Promise<ServerClockOffset | undefined> {
  const observation = await context.madeAlready<Observation<ClockEvidence>>(controlObservationKey(clockSync.id));
  if (!observation) return undefined;
  if (observation.kind !== 'observed') return { offsetMs: 'unknown', reason: observation.reason };
  const { best, samples } = observation.evidence;
  return { offsetMs: best.offsetMs, errorBarMs: Math.round((best.roundTripMs / 2) * 1000) / 1000, roundTripMs: best.roundTripMs, measuredAt: best.sentAt, samples: samples.length };
}
