/** Shape of the one-cycle schedule: warm up, then cosine decay. */
export interface ScheduleOptions {
  peak: number;
  /** Fraction of training spent warming up linearly from peak × startFraction. */
  warmupFraction?: number;
  startFraction?: number;
  /** The rate at the end, as a fraction of the peak. */
  endFraction?: number;
}

/**
 * One-cycle learning rate for Adam at `progress` ∈ [0, 1] of training: a short linear warm-up
 * (large early steps on fresh weights diverge without batch norm), then a cosine decay to near
 * zero, which settles into a better minimum in a fixed budget than a constant rate does.
 */
export function learningRateAt(
  progress: number,
  { peak, warmupFraction = 0.03, startFraction = 0.1, endFraction = 0.01 }: ScheduleOptions,
): number {
  const p = Math.min(1, Math.max(0, progress));
  if (p < warmupFraction) return peak * (startFraction + (1 - startFraction) * (p / warmupFraction));
  const t = (p - warmupFraction) / (1 - warmupFraction);
  const end = peak * endFraction;
  return end + (peak - end) * 0.5 * (1 + Math.cos(Math.PI * t));
}
