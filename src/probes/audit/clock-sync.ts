import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import type { Engine } from '../../targets/target.js';

/** How far the server's clock may be from the harness's. */
export const CLOCK_TOLERANCE_MS = 1000;
const SAMPLES = 3;

export interface ClockSample {
  /** The server's clock, as an ISO instant in UTC. */
  serverTime: string;
  /** Harness clock when the query was sent and when the answer came. */
  sentAt: string;
  receivedAt: string;
  roundTripMs: number;
  /** Server time minus the midpoint of sent and received: the best estimate of the skew. */
  offsetMs: number;
}

export interface ClockEvidence {
  readAs: string;
  query: string;
  samples: ClockSample[];
  /** The sample with the smallest round trip: its error bar is the narrowest. */
  best: ClockSample;
}

const CLOCK_QUERY: Record<Engine, string> = {
  // clock_timestamp(), not now(): now() is the start of the transaction.
  postgres: "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS t",
  mysql: "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ') AS t",
};

/** Log timestamps are evidence only when the server's clock is right. */
export const clockSync = defineCheck<ClockEvidence>({
  id: 'audit.clock-sync',
  evidenceTitle: "the server's clock against the harness's, with the round-trip time as the error bar",
  read: async (context) => {
    const query = CLOCK_QUERY[context.target.engine];
    const { readAs, result } = await context.catalog.read("the server's clock", async (session) => {
      await session.query(query); // the first query of a session may pay for set-up; it is not a sample
      const samples: ClockSample[] = [];
      for (let index = 0; index < SAMPLES; index++) {
        const sent = Date.now();
        const started = performance.now();
        const [row] = await session.query<{ t: string }>(query);
        const roundTripMs = performance.now() - started;
        const serverMs = Date.parse(String(row?.t));
        if (!Number.isFinite(serverMs)) throw new Error(`the server answered the clock query with "${String(row?.t)}", not a time`);
        const midpoint = sent + roundTripMs / 2;
        samples.push({
          serverTime: new Date(serverMs).toISOString(),
          sentAt: new Date(sent).toISOString(),
          receivedAt: new Date(sent + roundTripMs).toISOString(),
          roundTripMs: Math.round(roundTripMs * 1000) / 1000,
          offsetMs: Math.round((serverMs - midpoint) * 1000) / 1000,
        });
      }
      return samples;
    });
    const best = result.reduce((a, b) => (b.roundTripMs < a.roundTripMs ? b : a));
    return { readAs, query, samples: result, best };
  },
  judge: ({ best, samples }) => {
    const errorBar = best.roundTripMs / 2;
    const skew = Math.abs(best.offsetMs);
    const figures = `offset ${best.offsetMs.toFixed(1)} ms ± ${errorBar.toFixed(1)} ms (round trip ${best.roundTripMs.toFixed(1)} ms, best of ${samples.length})`;
    if (skew + errorBar <= CLOCK_TOLERANCE_MS) return passed(`the server's clock is within ${CLOCK_TOLERANCE_MS} ms of the harness's: ${figures}`);
    if (skew - errorBar > CLOCK_TOLERANCE_MS) return failed(`the server's clock is off by more than ${CLOCK_TOLERANCE_MS} ms: ${figures}`);
    return undecided(`the round trip is too slow to tell whether the clocks agree within ${CLOCK_TOLERANCE_MS} ms: ${figures}`);
  },
});
