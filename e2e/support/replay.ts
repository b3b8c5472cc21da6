import type { CDPSession, Locator, Page } from '@playwright/test';

/** A point `[x, y]` in CSS pixels relative to the pad's top-left corner (y down). */
export type PadPoint = readonly [number, number];
/** One pen-down stroke: a polyline in pad CSS pixels. */
export type PadStroke = readonly PadPoint[];

/** How the person writes: `touch` needs a `hasTouch` context; `pen` is a stylus (pointerType "pen"). */
export type InputKind = 'mouse' | 'touch' | 'pen';

export interface ReplayOptions {
  /** Longest gap between two dispatched points, CSS px: a real pointer reports every few pixels. */
  readonly maxStepPx?: number;
  /** Pause after each point of the source polyline (pendigits sampled every 100 ms; we replay faster). */
  readonly pointDelayMs?: number;
  /** Pen-up pause between two strokes (the app reads at every pen-up; the next pen-down makes that reading stale). */
  readonly penUpDelayMs?: number;
  /**
   * Send the moves for this many source points at once, waiting only for the last of them to be
   * handled; 0 waits for every move. Each input event waits about a frame for its ack, which makes
   * long replays (an evaluation of hundreds of digits) several times slower; the moves still
   * arrive in order, as pointermoves whose coalesced events carry every point (a fast real pointer).
   */
  readonly pipeline?: number;
}

// A digit takes about a second, as a person writes one: awaiting every move's ack (a frame each)
// made a digit take 5–9 s, most of the end-to-end suite's time, and slower than anyone writes.
const DEFAULTS: Required<ReplayOptions> = {
  maxStepPx: 4,
  pointDelayMs: 0,
  penUpDelayMs: 80,
  pipeline: 4,
};

/**
 * Draws `strokes` (already placed in the pad's CSS coordinates) on `pad` the way a person would:
 * pointer down, a stream of moves a few px apart with small pauses, pointer up, for each stroke.
 */
export async function replayStrokes(
  page: Page,
  pad: Locator,
  strokes: readonly PadStroke[],
  input: InputKind,
  options: ReplayOptions = {},
): Promise<void> {
  const { maxStepPx, pointDelayMs, penUpDelayMs, pipeline } = { ...DEFAULTS, ...options };
  const box = await pad.boundingBox();
  if (!box) throw new Error('replayStrokes: the pad is not visible');
  const viewport = page.viewportSize();
  const pointer = await pointerFor(page, input);

  for (const [strokeIndex, stroke] of strokes.entries()) {
    if (stroke.length === 0) continue;
    const toViewport = ([x, y]: PadPoint): PadPoint => {
      if (x < 0 || y < 0 || x > box.width || y > box.height) {
        throw new Error(`replayStrokes: point (${x}, ${y}) lies outside the ${box.width}×${box.height} pad`);
      }
      const vx = box.x + x;
      const vy = box.y + y;
      if (viewport && (vx > viewport.width || vy > viewport.height || vx < 0 || vy < 0)) {
        throw new Error(`replayStrokes: point (${vx}, ${vy}) lies outside the viewport`);
      }
      return [vx, vy];
    };

    if (strokeIndex > 0) await page.waitForTimeout(penUpDelayMs);
    let previous = toViewport(stroke[0]);
    await pointer.down(previous);
    let inFlight: Promise<void>[] = [];
    for (const [sourceIndex, source] of stroke.slice(1).entries()) {
      const next = toViewport(source);
      for (const point of interpolate(previous, next, maxStepPx)) {
        // Sent in order over one connection: the page sees them in order, awaited or not.
        if (pipeline > 0) inFlight.push(pointer.move(point));
        else await pointer.move(point);
      }
      previous = next;
      if (pipeline > 0 && ((sourceIndex + 1) % pipeline === 0 || sourceIndex === stroke.length - 2)) {
        await Promise.all(inFlight);
        inFlight = [];
      }
      if (pointDelayMs > 0) await page.waitForTimeout(pointDelayMs);
    }
    await pointer.up(previous);
  }

  // The pad must stay put under the pen: a layout shift mid-writing would misplace the ink.
  const after = await pad.boundingBox();
  const moved = !after || (['x', 'y', 'width', 'height'] as const).some((k) => Math.abs(after[k] - box[k]) > 0.5);
  if (moved) throw new Error(`the pad moved or resized while drawing: ${JSON.stringify(box)} → ${JSON.stringify(after)}`);
}

/** Points after `from` up to and including `to`, at most `maxStep` apart. */
export function interpolate(from: PadPoint, to: PadPoint, maxStep: number): PadPoint[] {
  const distance = Math.hypot(to[0] - from[0], to[1] - from[1]);
  const steps = Math.max(1, Math.ceil(distance / maxStep));
  const points: PadPoint[] = [];
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    points.push([from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t]);
  }
  return points;
}

/** One pointer driven in viewport CSS pixels; see pointerFor. */
export interface Pointer {
  down(at: PadPoint): Promise<void>;
  move(to: PadPoint): Promise<void>;
  up(at: PadPoint): Promise<void>;
}

const cdpSessions = new WeakMap<Page, Promise<CDPSession>>();

/** One CDP session per page, made on first use (touch and pen input have no Playwright API). */
export function cdpFor(page: Page): Promise<CDPSession> {
  let session = cdpSessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    cdpSessions.set(page, session);
  }
  return session;
}

/** A pointer of the given kind that takes viewport coordinates, for tests that interleave other steps with a stroke. */
export async function pointerFor(page: Page, input: InputKind): Promise<Pointer> {
  if (input === 'mouse') {
    return {
      down: async ([x, y]) => {
        await page.mouse.move(x, y);
        await page.mouse.down();
      },
      move: ([x, y]) => page.mouse.move(x, y),
      up: () => page.mouse.up(),
    };
  }

  const cdp = await cdpFor(page);
  if (input === 'touch') {
    // Chromium turns these into real touch pointer events (pointerType "touch") in a hasTouch context.
    const touch = (type: 'touchStart' | 'touchMove', [x, y]: PadPoint) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 0.5 }],
      });
    return {
      down: (at) => touch('touchStart', at).then(() => undefined),
      move: (to) => touch('touchMove', to).then(() => undefined),
      up: () => cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] }).then(() => undefined),
    };
  }

  const pen = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', [x, y]: PadPoint, buttons: number) =>
    cdp
      .send('Input.dispatchMouseEvent', {
        type,
        x,
        y,
        button: 'left',
        buttons,
        clickCount: type === 'mouseMoved' ? 0 : 1,
        pointerType: 'pen',
        force: buttons ? 0.5 : 0,
      })
      .then(() => undefined);
  return {
    down: async (at) => {
      await pen('mouseMoved', at, 0);
      await pen('mousePressed', at, 1);
    },
    move: (to) => pen('mouseMoved', to, 1),
    up: (at) => pen('mouseReleased', at, 0),
  };
}
