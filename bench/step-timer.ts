/** Time and calls of one step since the last `takeSteps()`. */
export interface StepTime {
  name: string;
  ms: number;
  calls: number;
}

const steps = new Map<string, StepTime>();

/**
 * Wraps a function so each call adds its time to the step `name`; anything else is returned as it
 * is. The bench build rewrites the imports of src/pipeline/lattice.ts through this (see
 * bench/vite.config.ts), so every step buildLattice calls is timed without touching the app.
 */
export function timeStep<T>(name: string, value: T): T {
  if (typeof value !== 'function') return value;
  const step = value as unknown as (...args: unknown[]) => unknown;
  const timed = function (this: unknown, ...args: unknown[]): unknown {
    const started = performance.now();
    try {
      return step.apply(this, args);
    } finally {
      const entry = steps.get(name) ?? { name, ms: 0, calls: 0 };
      entry.ms += performance.now() - started;
      entry.calls++;
      steps.set(name, entry);
    }
  };
  return timed as unknown as T;
}

/** The steps timed since the last call, in the order first called; resets them. */
export function takeSteps(): StepTime[] {
  const taken = [...steps.values()];
  steps.clear();
  return taken;
}
