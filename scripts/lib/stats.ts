/** Summary of a set of timings; null where there were none. */
export interface Stats {
  n: number;
  median: number | null;
  p95: number | null;
  mean: number | null;
  min: number | null;
  max: number | null;
}

/** Median and p95 by nearest rank (p95 of 50 runs is the 48th smallest). */
export function stats(values: readonly number[]): Stats {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return { n: 0, median: null, p95: null, mean: null, min: null, max: null };
  const rank = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))];
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: v.length,
    median: round(v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2),
    p95: round(rank(0.95)),
    mean: round(v.reduce((a, b) => a + b, 0) / v.length),
    min: round(v[0]),
    max: round(v[v.length - 1]),
  };
}

/** Wilson score interval (95%) for `successes` of `n`, as fractions; [0, 1] when n is 0. */
export function wilsonInterval(successes: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
