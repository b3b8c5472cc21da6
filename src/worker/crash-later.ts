/** What a worker crashed on purpose by a test (`crashForTest`) throws. */
export const TEST_CRASH_MESSAGE = 'Crash requested by a test';

/**
 * Throws `message` as an uncaught error on the next task, outside comlink's reach (which would
 * return it to the caller): the worker crashes as a real fault would, so its watcher's recovery runs.
 */
export function crashLater(message: string): void {
  setTimeout(() => {
    throw new Error(message);
  });
}
