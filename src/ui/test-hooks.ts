import type { CrashMoment, RecognizerStats } from '../worker/contract';
import type { RecognizerBridge } from './recognizer-bridge';

/**
 * What end-to-end tests may reach as `window.digitpad`: counters, and a way to crash the worker.
 * Nothing here reads or changes ink or readings, and a crash only runs the recovery that a real
 * one needs (restart, read the ink again), so the hooks are harmless.
 */
export interface DigitpadTestHooks {
  /** The worker's counters (tensors, live OpenCV Mats, memory); see RecognizerStats. */
  stats(): Promise<RecognizerStats>;
  /** Crashes the recognition worker with an uncaught error, as a bug or a wasm abort would. */
  crashWorkerForTest(when?: CrashMoment): void;
}

declare global {
  interface Window {
    /** Set to true before the app loads (Playwright's addInitScript) to get `window.digitpad`. */
    digitpadTestHooks?: boolean;
    digitpad?: DigitpadTestHooks;
  }
}

/** Exposes the test hooks as `window.digitpad`, only when a test asked for them before load. */
export function exposeTestHooks(bridge: RecognizerBridge): void {
  if (window.digitpadTestHooks !== true) return;
  window.digitpad = Object.freeze({
    stats: () => bridge.stats(),
    crashWorkerForTest: (when: CrashMoment = 'now') => bridge.crashForTest(when),
  });
}
