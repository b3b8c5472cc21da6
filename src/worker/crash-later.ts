/**
 * Throws `message` as an uncaught error on the next task, outside comlink's reach (which would
 * return it to the caller): the worker crashes as a real fault would, so its watcher's recovery runs.
 */
export function crashLater(message: string): void {
  setTimeout(() => {
    throw new Error(message);
  });
}
