/** What `trackPointer` reports about the one pointer it follows. */
export interface PointerHandlers {
  /** A pointer went down on the element with nothing else tracked; return false to ignore it. */
  start(event: PointerEvent): boolean;
  /**
   * The tracked pointer moved; `samples` are its coalesced events, oldest first (at least one), and
   * `predicted` the browser's guesses at where it goes next, nearest first (often none).
   */
  move(samples: readonly PointerEvent[], event: PointerEvent, predicted: readonly PointerEvent[]): void;
  /** The tracked pointer lifted (`pointerup`), or its capture was lost without one (null: no final position). */
  end(event: PointerEvent | null): void;
  /** The browser took the pointer back (`pointercancel`: a system gesture, palm rejection, a dialog). */
  cancel(event: PointerEvent): void;
}

/**
 * Follows one pointer at a time on `element`, pointer-tracker style: capture on down,
 * move/up/cancel listeners only while it is down, coalesced samples for smooth lines and predicted
 * ones for a tail that keeps up with the pen. Any other pointer (a second finger, a palm) is
 * ignored until the first lifts. Returns `stop()`, which removes every listener and forgets the
 * pointer without calling the handlers.
 */
export function trackPointer(element: Element, handlers: PointerHandlers): () => void {
  let active: number | null = null;

  const onDown = (event: PointerEvent): void => {
    // Only the main button draws: mouse left, pen tip or touch contact (a pen's eraser is 5).
    if (active !== null || event.button !== 0) return;
    if (!handlers.start(event)) return;
    active = event.pointerId;
    // Stops a mouse drag from selecting page text and suppresses the compatibility mouse events.
    event.preventDefault();
    try {
      // Keeps the stroke's events coming when the pen leaves the element.
      element.setPointerCapture(event.pointerId);
    } catch {
      // Throws NotFoundError for a pointer that is no longer active (e.g. a synthetic event);
      // the stroke still works while the pointer stays over the element.
    }
    element.addEventListener('pointermove', onMove as EventListener);
    element.addEventListener('pointerup', onUp as EventListener);
    element.addEventListener('pointercancel', onCancel as EventListener);
    element.addEventListener('lostpointercapture', onLostCapture as EventListener);
    element.addEventListener('contextmenu', onContextMenu);
  };

  const onMove = (event: PointerEvent): void => {
    if (event.pointerId !== active) return;
    handlers.move(coalesced(event), event, predictions(event));
  };

  const onUp = (event: PointerEvent): void => {
    if (event.pointerId !== active) return;
    release();
    handlers.end(event);
  };

  const onCancel = (event: PointerEvent): void => {
    if (event.pointerId !== active) return;
    release();
    handlers.cancel(event);
  };

  // Capture lost while still down (the element left the DOM, or someone else captured the
  // pointer): no pointerup will reach us, so end the stroke with the ink drawn so far.
  const onLostCapture = (event: PointerEvent): void => {
    if (event.pointerId !== active) return;
    release();
    handlers.end(null);
  };

  // A long press must not open a context menu mid-stroke (Android Chrome fires contextmenu on a
  // long touch, then pointercancel). Only while drawing, so a right-click still gets its menu.
  const onContextMenu = (event: Event): void => event.preventDefault();

  // Belt and braces beside the UI's `touch-action: none` and `user-select: none`: a cancelled
  // touchstart is the one thing every engine honours against double-tap zoom and iOS Safari's
  // text-selection loupe on a long finger or Apple Pencil press. Explicitly not passive, or
  // preventDefault would be ignored.
  const onTouchStart = (event: Event): void => {
    if (event.cancelable) event.preventDefault();
  };

  const release = (): void => {
    const id = active;
    active = null;
    element.removeEventListener('pointermove', onMove as EventListener);
    element.removeEventListener('pointerup', onUp as EventListener);
    element.removeEventListener('pointercancel', onCancel as EventListener);
    element.removeEventListener('lostpointercapture', onLostCapture as EventListener);
    element.removeEventListener('contextmenu', onContextMenu);
    if (id !== null) {
      try {
        if (element.hasPointerCapture(id)) element.releasePointerCapture(id);
      } catch {
        // Already released with the pointer; nothing to undo.
      }
    }
  };

  element.addEventListener('pointerdown', onDown as EventListener);
  element.addEventListener('touchstart', onTouchStart, { passive: false });

  return () => {
    release();
    element.removeEventListener('pointerdown', onDown as EventListener);
    element.removeEventListener('touchstart', onTouchStart);
  };
}

/**
 * The samples merged into one pointermove, oldest first. getCoalescedEvents is missing in older
 * Safari and outside secure contexts (Chrome made it [SecureContext]), and returns an empty list
 * for synthetic events; the event itself stands in then.
 */
function coalesced(event: PointerEvent): readonly PointerEvent[] {
  const samples = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
  return samples.length > 0 ? samples : [event];
}

/**
 * Where the browser expects the pointer to be over the next few milliseconds. getPredictedEvents
 * is missing in older engines, and the list is empty whenever the browser has no guess (a
 * synthetic event has none unless it was given some); nothing is predicted then.
 */
function predictions(event: PointerEvent): readonly PointerEvent[] {
  return typeof event.getPredictedEvents === 'function' ? event.getPredictedEvents() : [];
}
