/** Cases per property: a few thousand in CI (seconds); `npm run fuzz` sets FUZZ_RUNS for a long run. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
