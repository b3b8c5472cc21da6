/** Shape of the one-cycle schedule: warm up, then cosine decay. */
export interface ScheduleOptions {
  peak: number;
  /** Fraction of training spent warming up linearly from peak × startFraction. */
  warmupFraction?: number;
  startFraction?: number;
  /** The rate at the end, as a fraction of the peak. */
  endFraction?: number;
  /**
   * Repeat the schedule this many times back to back (warm restarts); each cycle ends on a
   * snapshot of the weights for an ensemble. Warm-up and decay are fractions of one cycle.
   */
  cycles?: number;
}

/** Which cycle of a `cycles`-cycle schedule `progress` ∈ [0, 1] falls in (0-based; 1 ends in the last). */
export function cycleAt(progress: number, cycles: number): number {
  return Math.min(cycles - 1, Math.floor(Math.min(1, Math.max(0, progress)) * cycles));
}

/**
 * One-cycle learning rate for Adam at `progress` ∈ [0, 1] of training: a short linear warm-up
 * (large early steps on fresh weights diverge without batch norm), then a cosine decay to near
 * zero, which settles into a better minimum in a fixed budget than a constant rate does. With
 * `cycles` > 1 the cycle restarts that many times, each one ending in its own minimum.
 */
export function learningRateAt(
  progress: number,
  { peak, warmupFraction = 0.03, startFraction = 0.1, endFraction = 0.01, cycles = 1 }: ScheduleOptions,
): number {
  const clamped = Math.min(1, Math.max(0, progress));
  const p = clamped * cycles - cycleAt(clamped, cycles);
  if (p < warmupFraction) return peak * (startFraction + (1 - startFraction) * (p / warmupFraction));
  const t = (p - warmupFraction) / (1 - warmupFraction);
  const end = peak * endFraction;
  return end + (peak - end) * 0.5 * (1 + Math.cos(Math.PI * t));
}
