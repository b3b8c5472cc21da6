import fc from 'fast-check';

/**
 * Cases per property. `npm run fuzz` sets FUZZ_RUNS=10000; a plain `vitest run` (and so CI) runs
 * a smaller default so the suite stays quick. FUZZ_SEED replays a failure fast-check reported.
 */
export const FUZZ_RUNS = positiveInteger(process.env.FUZZ_RUNS) ?? 200;
const FUZZ_SEED = integer(process.env.FUZZ_SEED);

/** fast-check parameters for one property: `FUZZ_RUNS` cases (scaled by `share`), seed if given. */
export function fuzzParameters(share = 1): fc.Parameters<unknown> {
  return {
    numRuns: Math.max(1, Math.round(FUZZ_RUNS * share)),
    ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }),
  };
}

/** Test timeout for `cases` runs at about `msPerCase` each, on a slow shared machine. */
export function fuzzTimeout(msPerCase: number, share = 1): number {
  return Math.max(60_000, FUZZ_RUNS * share * msPerCase * 4);
}

function integer(text: string | undefined): number | undefined {
  const value = text === undefined || text === '' ? NaN : Number(text);
  return Number.isInteger(value) ? value : undefined;
}

function positiveInteger(text: string | undefined): number | undefined {
  const value = integer(text);
  return value !== undefined && value > 0 ? value : undefined;
}
