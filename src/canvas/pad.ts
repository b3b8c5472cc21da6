import { MAX_SEGMENT_SIDE } from '../pipeline/options';
import type { InkImage } from '../pipeline/types';
import { backingStoreSize } from './backing-store-size';
import { Ink } from './ink';
import { FALLBACK_INK_COLOUR, PAD_FULL_MESSAGE, STROKE_TOO_LONG_MESSAGE } from './options';
import { clearInk, paintDot, paintSegments, paintStroke, prepareInk } from './paint';
import { penWidthFor } from './pen-width';
import { trackPointer } from './pointer-input';
import { inkRegion, renderInkImage } from './render-ink-image';
import { strokeTrace } from '../pipeline/stroke-trace';
import { settledSegmentCount, smoothSegmentCount } from './smooth';
import { paintTail } from './tail';
import type { InkPoint, Size, Stroke } from './types';

/** What the pad tells the UI. */
export interface DrawingPadCallbacks {
  /** A pen went down and a stroke began (the UI marks itself busy). */
  onStrokeStart(): void;
  /** The stroke ended: pen-up, or pointercancel after dropping it. Exactly one follows each onStrokeStart. */
  onStrokeEnd(): void;
  /** The ink changed other than by drawing: undo, clear, a cancelled stroke, or a resize of a pad with ink. */
  onInkChange(): void;
  /** Ink was refused by a cap (stroke too long, pad full); `message` is ready to show. */
  onLimit?(message: string): void;
}

/** The ink rasterised for recognition, and where that image lies on the pad. */
export interface InkSnapshot {
  /** The ink at 1 CSS px = 1 image px: the part of the pad around it, or the whole pad. */
  image: InkImage;
  /** The image's top-left corner on the pad in CSS pixels: add it to boxes found in the image. */
  origin: { x: number; y: number };
}

/** A drawing surface on a canvas; see createDrawingPad. */
export interface DrawingPad {
  /** The strokes in CSS pixels, oldest first; while drawing, the last is the stroke in progress. */
  readonly strokes: readonly Stroke[];
  /** Removes the last stroke; false if there was none. */
  undo(): boolean;
  /** Removes all ink. */
  clear(): void;
  /** True when there is no ink. */
  isEmpty(): boolean;
  /** The ink rasterised for recognition at CSS-pixel size, as drawn on screen (only the inked part). */
  snapshot(): InkSnapshot;
  /** The pad's size in CSS pixels (the snapshot's size, before rounding). */
  cssSize(): Size;
  /** The pen width in CSS pixels. */
  penWidth(): number;
  /** Removes every listener and observer; the pad stops taking ink. */
  destroy(): void;
}

/**
 * Turns `canvas` into a writing pad: one pointer at a time (mouse, finger or stylus), smoothed
 * strokes painted as they settle, a backing store of CSS size × devicePixelRatio kept in step with
 * the element by a ResizeObserver (ink is kept and repainted). The canvas should have no padding:
 * ink coordinates start at its content box. Right after it, the pad adds a `.pad-tail` canvas that
 * the stylesheet must lay exactly over it, for the tail (see paintTail). No callback fires before
 * this returns.
 */
export function createDrawingPad(canvas: HTMLCanvasElement, callbacks: DrawingPadCallbacks): DrawingPad {
  // A low-latency canvas where the browser offers one: ink reaches the screen without waiting for
  // the page's compositor frame. The recogniser reads the strokes, never this canvas.
  const context = canvas.getContext('2d', { desynchronized: true });
  if (!context) throw new Error('This browser cannot draw on a canvas (no 2D context).');
  const ctx: CanvasRenderingContext2D = context;
  const tail = tailLayerAfter(canvas);
  const tailCtx = tail?.getContext('2d', { desynchronized: true }) ?? null;

  const ink = new Ink({ width: 0, height: 0 });
  let pen = penWidthFor(ink.size);
  let colour = FALLBACK_INK_COLOUR;
  /** The content box's top-left in client coordinates, read at each pen-down. */
  let origin = { x: 0, y: 0 };
  /** Segments of the stroke in progress already on screen. */
  let painted = 0;
  /** The browser's guesses at the pen's next positions, from the last move; never part of the ink. */
  let predicted: readonly InkPoint[] = [];
  let frame = 0;
  let limitReported = false;
  let destroyed = false;

  const dpr = (): number => globalThis.devicePixelRatio || 1;

  const inkColour = (): string => getComputedStyle(canvas).color || FALLBACK_INK_COLOUR;

  const toPoint = (event: PointerEvent): InkPoint => ({
    x: event.clientX - origin.x,
    y: event.clientY - origin.y,
    t: event.timeStamp,
  });

  const openStroke = (): Stroke => ink.strokes[ink.strokes.length - 1];

  const cancelFrame = (): void => {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
  };

  /** Repaints the tail layer: the stroke in progress beyond what the pad shows, and the prediction. */
  const paintTailNow = (): void => {
    if (tailCtx && ink.drawing) paintTail(tailCtx, openStroke(), painted, predicted);
  };

  const clearTail = (): void => {
    predicted = [];
    if (tailCtx) clearInk(tailCtx);
  };

  /** Paints the settled segments of the stroke in progress not yet on screen (one frame's worth). */
  const paintSettled = (): void => {
    frame = 0;
    if (!ink.drawing) return;
    const stroke = openStroke();
    const settled = settledSegmentCount(stroke.length);
    paintSegments(ctx, stroke, painted, settled);
    painted = Math.max(painted, settled);
    paintTailNow(); // Now shorter: what it showed of the settled segments is on the pad.
  };

  /** Clears and paints everything; the stroke in progress only up to its settled segments. */
  const repaint = (): void => {
    cancelFrame();
    const { width, height } = ink.size;
    if (width <= 0 || height <= 0) return;
    colour = inkColour();
    prepareInk(ctx, canvas.width / width, canvas.height / height, pen, colour);
    clearInk(ctx);
    if (tailCtx) prepareInk(tailCtx, canvas.width / width, canvas.height / height, pen, colour);
    clearTail();
    const strokes = ink.strokes;
    const done = ink.drawing ? strokes.length - 1 : strokes.length;
    for (let i = 0; i < done; i++) paintStroke(ctx, strokes[i], pen);
    painted = 0;
    if (ink.drawing) {
      const stroke = openStroke();
      if (stroke.length > 0) paintDot(ctx, stroke[0], pen);
      paintSettled();
    }
  };

  const addPoints = (events: readonly PointerEvent[]): void => {
    for (const event of events) {
      if (ink.extend(toPoint(event)) === 'limit' && !limitReported) {
        limitReported = true;
        callbacks.onLimit?.(STROKE_TOO_LONG_MESSAGE);
      }
    }
  };

  /** Adopts a new size: resizing the backing store clears it and resets the context, hence the repaint. */
  const layout = (css: Size, device: Size, announce: boolean): void => {
    // A hidden pad (display: none) measures 0×0: keep the last layout and the ink as they are.
    if (!(css.width > 0 && css.height > 0 && device.width > 0 && device.height > 0)) return;
    const changed = css.width !== ink.size.width || css.height !== ink.size.height;
    if (canvas.width !== device.width) canvas.width = device.width;
    if (canvas.height !== device.height) canvas.height = device.height;
    if (tail && tail.width !== device.width) tail.width = device.width;
    if (tail && tail.height !== device.height) tail.height = device.height;
    ink.resize(css);
    pen = penWidthFor(css);
    repaint();
    if (announce && changed && !ink.isEmpty()) callbacks.onInkChange();
  };

  const layoutAtDpr = (css: Size, announce: boolean, devicePixels?: Size): void =>
    layout(css, backingStoreSize(css, dpr(), devicePixels), announce);

  const stopTracking = trackPointer(canvas, {
    start(event) {
      if (destroyed) return false;
      const rect = canvas.getBoundingClientRect();
      origin = { x: rect.left + canvas.clientLeft, y: rect.top + canvas.clientTop };
      if (ink.begin(toPoint(event)) === 'limit') {
        callbacks.onLimit?.(PAD_FULL_MESSAGE);
        return false;
      }
      if (!ink.drawing) return false; // Not laid out yet: nowhere to put ink.
      limitReported = false;
      painted = 0;
      if (inkColour() !== colour) {
        repaint(); // The theme changed since the last paint; this paints the new stroke's dot too.
      } else {
        const stroke = openStroke();
        if (stroke.length > 0) paintDot(ctx, stroke[0], pen);
      }
      callbacks.onStrokeStart();
      return true;
    },
    move(samples, _event, guesses) {
      addPoints(samples);
      if (!ink.drawing) return;
      if (!frame) frame = requestAnimationFrame(paintSettled);
      // A stroke stopped by its cap no longer follows the pen, so a guess would lead nowhere.
      predicted = limitReported ? [] : guesses.map(toPoint);
      // At once, not in the frame: on a desynchronized canvas it reaches the screen sooner.
      paintTailNow();
    },
    end(event) {
      if (event) addPoints([event]);
      const wasDrawing = ink.drawing;
      if (wasDrawing) {
        cancelFrame();
        const stroke = openStroke();
        paintSegments(ctx, stroke, painted, smoothSegmentCount(stroke.length));
        clearTail();
      }
      const kept = ink.end();
      callbacks.onStrokeEnd();
      if (wasDrawing && !kept) callbacks.onInkChange();
    },
    cancel() {
      const dropped = ink.cancel();
      repaint();
      callbacks.onStrokeEnd();
      if (dropped) callbacks.onInkChange();
    },
  });

  // device-pixel-content-box gives the exact backing-store size (no blur from rounding) and fires
  // on zoom and on moving to another screen; Safari lacks it, and observe() throws a TypeError
  // for a box it does not know, so fall back to the content box × devicePixelRatio there.
  let exactDevicePixels = false;
  const observer =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver((entries) => {
          const entry = entries[entries.length - 1];
          if (!entry || destroyed) return;
          const css = { width: entry.contentRect.width, height: entry.contentRect.height };
          const box = entry.devicePixelContentBoxSize?.[0];
          layoutAtDpr(css, true, box && { width: box.inlineSize, height: box.blockSize });
        })
      : null;
  if (observer) {
    try {
      observer.observe(canvas, { box: 'device-pixel-content-box' });
      exactDevicePixels = true;
    } catch {
      observer.observe(canvas);
    }
  }

  // Without device-pixel-content-box a devicePixelRatio change at the same CSS size (window moved
  // to another screen) fires no resize; a resolution media query that matches only the current
  // ratio does, and is re-armed for the new ratio each time.
  let dprQuery: MediaQueryList | null = null;
  const onDprChange = (): void => {
    watchDpr();
    layoutAtDpr(ink.size, true);
  };
  const watchDpr = (): void => {
    dprQuery?.removeEventListener('change', onDprChange);
    dprQuery = typeof matchMedia === 'function' ? matchMedia(`(resolution: ${dpr()}dppx)`) : null;
    dprQuery?.addEventListener('change', onDprChange);
  };
  if (!exactDevicePixels) watchDpr();

  // Lay out now so the pad works before the observer's first report (clientWidth excludes the border).
  layoutAtDpr({ width: canvas.clientWidth, height: canvas.clientHeight }, false);

  return {
    get strokes() {
      return ink.strokes;
    },
    undo() {
      if (destroyed || !ink.undo()) return false;
      repaint();
      callbacks.onInkChange();
      return true;
    },
    clear() {
      if (destroyed) return;
      ink.clear();
      repaint();
      // Always announced, even on an empty pad, so the UI's reading resets whatever it showed.
      callbacks.onInkChange();
    },
    isEmpty: () => ink.isEmpty(),
    snapshot() {
      const { width, height } = ink.size;
      // Segmentation downscales images longer than MAX_SEGMENT_SIDE; a region of such a pad might
      // not be, so those pads go whole and read exactly as before.
      const region = Math.max(width, height) <= MAX_SEGMENT_SIDE ? inkRegion(ink.strokes, width, height, pen) : null;
      const image = renderInkImage(ink.strokes, width, height, pen, region ?? undefined);
      return {
        image: { ...image, strokes: strokeTrace(ink.strokes, pen, region ?? undefined) },
        origin: { x: region?.x ?? 0, y: region?.y ?? 0 },
      };
    },
    cssSize: () => ({ width: ink.size.width, height: ink.size.height }),
    penWidth: () => pen,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopTracking();
      observer?.disconnect();
      dprQuery?.removeEventListener('change', onDprChange);
      dprQuery = null;
      cancelFrame();
      tail?.remove();
    },
  };
}

/**
 * Adds the canvas the tail is painted on right after the pad's, hidden from assistive technology;
 * the stylesheet lays it over the pad and lets the pen through it. Null where the element has no
 * document to make one in (the pad then paints no tail).
 */
function tailLayerAfter(canvas: HTMLCanvasElement): HTMLCanvasElement | null {
  if (typeof canvas.after !== 'function' || !canvas.ownerDocument) return null;
  const tail = canvas.ownerDocument.createElement('canvas');
  tail.className = 'pad-tail';
  tail.setAttribute('aria-hidden', 'true');
  canvas.after(tail);
  return tail;
}
