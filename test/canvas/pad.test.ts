import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_POINTS_PER_STROKE, MAX_STROKES, PAD_FULL_MESSAGE, STROKE_TOO_LONG_MESSAGE } from '../../src/canvas/options';
import { inkRegion } from '../../src/canvas/render-ink-image';
import { strokeTrace } from '../../src/pipeline/stroke-trace';
import { createDrawingPad } from '../../src/canvas/pad';
import type { DrawingPadCallbacks } from '../../src/canvas/pad';
import { FakeElement, RecordingContext, pointerEvent } from './fakes';

/** A canvas 300×200 CSS px inside a 1 px border, its border box at (10, 20) in the viewport. */
class FakeCanvas extends FakeElement {
  width = 300;
  height = 150;
  clientWidth = 300;
  clientHeight = 200;
  clientLeft = 1;
  clientTop = 1;
  readonly ctx = new RecordingContext(this);
  getContext(kind: string) {
    return kind === '2d' ? this.ctx : null;
  }
  getBoundingClientRect() {
    return { left: 10, top: 20, width: 302, height: 202 };
  }
}

/** The layer the pad adds for the tail: records how it was made, placed and drawn on. */
class FakeTailCanvas {
  width = 300;
  height = 150;
  className = '';
  readonly attributes = new Map<string, string>();
  contextOptions: unknown = null;
  removed = false;
  readonly ctx = new RecordingContext(this);
  getContext(kind: string, options?: unknown) {
    this.contextOptions = options;
    return kind === '2d' ? this.ctx : null;
  }
  setAttribute(name: string, value: string) {
    this.attributes.set(name, value);
  }
  remove() {
    this.removed = true;
  }
}

/** A pad canvas in a document, so the pad can add its tail layer next to it. */
class FakeCanvasInDocument extends FakeCanvas {
  readonly tail = new FakeTailCanvas();
  next: unknown = null;
  readonly ownerDocument = { createElement: (tag: string) => (tag === 'canvas' ? this.tail : null) };
  after(node: unknown) {
    this.next = node;
  }
}

/** A ResizeObserver that reports only when a test says so. */
class FakeResizeObserver {
  static last: FakeResizeObserver | null = null;
  static deviceBoxThrows = false;
  observed: unknown = null;
  disconnected = false;
  constructor(readonly callback: (entries: unknown[]) => void) {
    FakeResizeObserver.last = this;
  }
  observe(_target: unknown, options?: { box?: string }) {
    if (options?.box === 'device-pixel-content-box' && FakeResizeObserver.deviceBoxThrows) throw new TypeError('unknown box');
    this.observed = options?.box ?? 'content-box';
  }
  disconnect() {
    this.disconnected = true;
  }
  report(width: number, height: number, device?: [number, number]) {
    this.callback([
      {
        contentRect: { width, height },
        devicePixelContentBoxSize: device ? [{ inlineSize: device[0], blockSize: device[1] }] : undefined,
      },
    ]);
  }
}

let frames: FrameRequestCallback[] = [];
const mediaListeners = new Set<unknown>();

function flushFrames(): void {
  const pending = frames;
  frames = [];
  pending.forEach((callback) => callback(0));
}

beforeEach(() => {
  frames = [];
  mediaListeners.clear();
  FakeResizeObserver.last = null;
  FakeResizeObserver.deviceBoxThrows = false;
  vi.stubGlobal('devicePixelRatio', 2);
  vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
  vi.stubGlobal('cancelAnimationFrame', (id: number) => {
    frames[id - 1] = () => {};
  });
  vi.stubGlobal('getComputedStyle', () => ({ color: 'rgb(20, 33, 61)' }));
  vi.stubGlobal('matchMedia', () => ({
    addEventListener: (_: string, listener: unknown) => mediaListeners.add(listener),
    removeEventListener: (_: string, listener: unknown) => mediaListeners.delete(listener),
  }));
  vi.stubGlobal(
    'OffscreenCanvas',
    class {
      constructor(
        readonly width: number,
        readonly height: number,
      ) {}
      getContext() {
        return new RecordingContext(this);
      }
    },
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function setup<C extends FakeCanvas = FakeCanvas>(canvas: C = new FakeCanvas() as C) {
  const log: string[] = [];
  const callbacks: DrawingPadCallbacks = {
    onStrokeStart: () => void log.push('start'),
    onStrokeEnd: () => void log.push('end'),
    onInkChange: () => void log.push('change'),
    onLimit: (message) => void log.push(`limit: ${message}`),
  };
  const pad = createDrawingPad(canvas as unknown as HTMLCanvasElement, callbacks);
  const at = (x: number, y: number, t = 0) => ({ clientX: x + 11, clientY: y + 21, timeStamp: t }); // CSS px → client
  const stroke = (points: [number, number][], id = 1) => {
    const [first, ...rest] = points;
    canvas.dispatchEvent(pointerEvent('pointerdown', { pointerId: id, ...at(...first) }));
    for (const point of rest) canvas.dispatchEvent(pointerEvent('pointermove', { pointerId: id, ...at(...point) }));
    canvas.dispatchEvent(pointerEvent('pointerup', { pointerId: id, ...at(...(rest.at(-1) ?? first)) }));
  };
  return { canvas, pad, log, at, stroke };
}

describe('createDrawingPad', () => {
  it('lays out at once: backing store = CSS size × devicePixelRatio, pen from the size', () => {
    const { canvas, pad, log } = setup();
    expect([canvas.width, canvas.height]).toEqual([600, 400]);
    expect(pad.cssSize()).toEqual({ width: 300, height: 200 });
    expect(pad.penWidth()).toBeCloseTo(200 / 45);
    expect(canvas.ctx.only('setTransform')).toContainEqual(['setTransform', 2, 0, 0, 2, 0, 0]);
    expect(FakeResizeObserver.last?.observed).toBe('device-pixel-content-box');
    expect(mediaListeners.size).toBe(0); // the observer already reports devicePixelRatio changes
    expect(log).toEqual([]);
  });

  it('records a stroke in CSS pixels of the content box and announces start and end', () => {
    const { pad, log, stroke } = setup();
    stroke([[5, 6], [50, 60], [100, 120]]);
    expect(pad.strokes).toEqual([[{ x: 5, y: 6, t: 0 }, { x: 50, y: 60, t: 0 }, { x: 100, y: 120, t: 0 }]]);
    expect(pad.isEmpty()).toBe(false);
    expect(log).toEqual(['start', 'end']);
  });

  it('paints a dot at pen-down, settled segments each frame, the rest at pen-up', () => {
    const { canvas, at } = setup();
    const ctx = canvas.ctx;
    ctx.reset();
    canvas.dispatchEvent(pointerEvent('pointerdown', at(10, 10)));
    expect(ctx.only('arc')).toEqual([['arc', 10, 10, 200 / 45 / 2, 0, Math.PI * 2]]);
    for (const x of [20, 30, 40]) canvas.dispatchEvent(pointerEvent('pointermove', at(x, 10)));
    expect(frames).toHaveLength(1); // one paint per frame, however many events
    flushFrames();
    expect(ctx.only('quadraticCurveTo')).toEqual([
      ['quadraticCurveTo', 20, 10, 25, 10],
      ['quadraticCurveTo', 30, 10, 35, 10],
    ]);
    ctx.reset();
    canvas.dispatchEvent(pointerEvent('pointerup', at(40, 10)));
    expect(ctx.only('moveTo', 'quadraticCurveTo')).toEqual([
      ['moveTo', 35, 10],
      ['quadraticCurveTo', 37.5, 10, 40, 10],
    ]);
  });

  it('ignores a second finger while one is drawing', () => {
    const { canvas, pad, log, at } = setup();
    canvas.dispatchEvent(pointerEvent('pointerdown', { pointerId: 1, ...at(1, 1) }));
    canvas.dispatchEvent(pointerEvent('pointerdown', { pointerId: 2, ...at(50, 50) }));
    canvas.dispatchEvent(pointerEvent('pointermove', { pointerId: 2, ...at(60, 60) }));
    canvas.dispatchEvent(pointerEvent('pointerup', { pointerId: 2, ...at(60, 60) }));
    canvas.dispatchEvent(pointerEvent('pointerup', { pointerId: 1, ...at(9, 9) }));
    expect(pad.strokes).toEqual([[{ x: 1, y: 1, t: 0 }, { x: 9, y: 9, t: 0 }]]);
    expect(log).toEqual(['start', 'end']);
  });

  it('drops the stroke on pointercancel, ending it and announcing the change', () => {
    const { canvas, pad, log, at, stroke } = setup();
    stroke([[1, 1], [5, 5]]);
    canvas.dispatchEvent(pointerEvent('pointerdown', at(50, 50)));
    canvas.dispatchEvent(pointerEvent('pointermove', at(60, 60)));
    canvas.ctx.reset();
    canvas.dispatchEvent(pointerEvent('pointercancel', at(60, 60)));
    expect(pad.strokes).toHaveLength(1);
    expect(canvas.ctx.only('clearRect')).toHaveLength(1); // repainted without it
    expect(log).toEqual(['start', 'end', 'start', 'end', 'change']);
  });

  it('clamps to the pad and drops non-finite points', () => {
    const { canvas, pad, at } = setup();
    canvas.dispatchEvent(pointerEvent('pointerdown', at(-40, 10)));
    canvas.dispatchEvent(pointerEvent('pointermove', at(NaN, 10)));
    canvas.dispatchEvent(pointerEvent('pointerup', at(900, 900)));
    expect(pad.strokes).toEqual([[{ x: 0, y: 10, t: 0 }, { x: 300, y: 200, t: 0 }]]);
  });

  it(`reports a stroke past ${MAX_POINTS_PER_STROKE} points once and keeps the first ${MAX_POINTS_PER_STROKE}`, () => {
    const { canvas, pad, log, at } = setup();
    canvas.dispatchEvent(pointerEvent('pointerdown', at(0, 0)));
    const samples = Array.from({ length: MAX_POINTS_PER_STROKE + 100 }, (_, i) =>
      pointerEvent('pointermove', at((i % 300) + 0.5, Math.floor(i / 300), i)),
    );
    canvas.dispatchEvent(pointerEvent('pointermove', { ...at(1, 1), coalesced: samples }));
    canvas.dispatchEvent(pointerEvent('pointermove', at(2, 150)));
    canvas.dispatchEvent(pointerEvent('pointerup', at(3, 150)));
    expect(pad.strokes[0]).toHaveLength(MAX_POINTS_PER_STROKE);
    expect(log).toEqual(['start', `limit: ${STROKE_TOO_LONG_MESSAGE}`, 'end']);
  });

  it(`refuses a stroke past ${MAX_STROKES} strokes and says so each time`, () => {
    const { pad, log, stroke } = setup();
    for (let i = 0; i < MAX_STROKES; i++) stroke([[i % 300, 1]]);
    log.length = 0;
    stroke([[5, 5]]);
    stroke([[6, 6]]);
    expect(pad.strokes).toHaveLength(MAX_STROKES);
    expect(log).toEqual([`limit: ${PAD_FULL_MESSAGE}`, `limit: ${PAD_FULL_MESSAGE}`]);
    expect(pad.undo()).toBe(true);
    stroke([[5, 5]]);
    expect(pad.strokes).toHaveLength(MAX_STROKES);
  });

  it('undo and clear repaint and announce the change', () => {
    const { canvas, pad, log, stroke } = setup();
    expect(pad.undo()).toBe(false);
    stroke([[1, 1], [9, 9]]);
    stroke([[20, 20]]);
    log.length = 0;
    canvas.ctx.reset();
    expect(pad.undo()).toBe(true);
    expect(pad.strokes).toHaveLength(1);
    expect(canvas.ctx.only('clearRect', 'quadraticCurveTo', 'arc')).toEqual([
      ['clearRect', 0, 0, 600, 400],
      ['quadraticCurveTo', 5, 5, 9, 9],
    ]);
    pad.clear();
    expect(pad.isEmpty()).toBe(true);
    expect(log).toEqual(['change', 'change']);
  });

  it('re-lays out on resize, keeps the ink, and announces it when there is ink', () => {
    const { canvas, pad, log, stroke } = setup();
    const observer = FakeResizeObserver.last!;
    observer.report(300, 200, [600, 400]); // the first report: nothing changed
    expect(log).toEqual([]);
    stroke([[100, 50], [200, 150]]);
    log.length = 0;
    vi.stubGlobal('devicePixelRatio', 3);
    observer.report(150.5, 400, [451, 1200]); // now at 3× and narrower than the ink
    expect([canvas.width, canvas.height]).toEqual([451, 1200]);
    expect(pad.cssSize()).toEqual({ width: 150.5, height: 400 });
    expect(canvas.ctx.only('setTransform')).toContainEqual(['setTransform', 451 / 150.5, 0, 0, 3, 0, 0]);
    const expected = [75.25, 37.625, 150.5, 112.875];
    pad.strokes[0].flatMap(({ x, y }) => [x, y]).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 9));
    expect(log).toEqual(['change']);
    observer.report(0, 0); // hidden: nothing happens
    expect(pad.cssSize()).toEqual({ width: 150.5, height: 400 });
    expect(log).toEqual(['change']);
  });

  it('falls back to content box × devicePixelRatio where device-pixel-content-box is unknown', () => {
    FakeResizeObserver.deviceBoxThrows = true;
    const { canvas } = setup();
    expect(FakeResizeObserver.last?.observed).toBe('content-box');
    expect(mediaListeners.size).toBe(1); // watches devicePixelRatio instead
    FakeResizeObserver.last!.report(250.25, 100);
    expect([canvas.width, canvas.height]).toEqual([501, 200]);
  });

  it('snapshots the inked part of the pad at CSS-pixel size, with its place on the pad', () => {
    const { pad, stroke } = setup();
    stroke([[100, 50], [140, 90]]);
    const { image, origin } = pad.snapshot();
    const region = inkRegion(pad.strokes, 300, 200, pad.penWidth())!;
    expect(origin).toEqual({ x: region.x, y: region.y });
    expect(origin.x).toBeGreaterThan(80);
    expect([image.width, image.height, image.data.length]).toEqual([region.width, region.height, region.width * region.height]);
  });

  it('snapshots a pad longer than segmentation keeps whole, so it is downscaled as before', () => {
    const { pad, stroke } = setup();
    FakeResizeObserver.last!.report(1200, 500);
    stroke([[100, 50], [140, 90]]);
    const { image, origin } = pad.snapshot();
    expect(origin).toEqual({ x: 0, y: 0 });
    expect([image.width, image.height]).toEqual([1200, 500]);
  });

  it('destroy removes every listener, the observer and the pending frame', () => {
    FakeResizeObserver.deviceBoxThrows = true;
    const { canvas, pad, log, at } = setup();
    canvas.dispatchEvent(pointerEvent('pointerdown', at(1, 1)));
    canvas.dispatchEvent(pointerEvent('pointermove', at(9, 9)));
    pad.destroy();
    expect(canvas.listening()).toEqual([]);
    expect(FakeResizeObserver.last?.disconnected).toBe(true);
    expect(mediaListeners.size).toBe(0);
    canvas.ctx.reset();
    flushFrames();
    canvas.dispatchEvent(pointerEvent('pointerdown', at(5, 5)));
    expect(pad.undo()).toBe(false);
    pad.clear();
    expect(canvas.ctx.calls).toEqual([]);
    expect(log).toEqual(['start']);
    pad.destroy(); // twice is fine
  });
});

describe('the tail layer', () => {
  /**
   * A pen-down at (10, 10) and moves to x = 20, 30, 40 on y = 10, the last with `predicted` (CSS
   * px); the tail layer's record then holds only what that last move painted.
   */
  function drawWithPrediction(predicted: [number, number][]) {
    const { canvas, pad, at, log } = setup(new FakeCanvasInDocument());
    canvas.dispatchEvent(pointerEvent('pointerdown', at(10, 10)));
    for (const x of [20, 30]) canvas.dispatchEvent(pointerEvent('pointermove', at(x, 10)));
    canvas.tail.ctx.reset();
    const guesses = predicted.map(([x, y]) => pointerEvent('pointermove', at(x, y)));
    canvas.dispatchEvent(pointerEvent('pointermove', { ...at(40, 10), predicted: guesses }));
    return { canvas, pad, at, log };
  }

  const REAL = [{ x: 10, y: 10, t: 0 }, { x: 20, y: 10, t: 0 }, { x: 30, y: 10, t: 0 }, { x: 40, y: 10, t: 0 }];

  it('is a canvas of its own after the pad, hidden from assistive technology, sized and inked like the pad', () => {
    const { canvas, pad } = setup(new FakeCanvasInDocument());
    const { tail } = canvas;
    expect(canvas.next).toBe(tail);
    expect(tail.className).toBe('pad-tail');
    expect(tail.attributes.get('aria-hidden')).toBe('true');
    expect(tail.contextOptions).toEqual({ desynchronized: true });
    expect([tail.width, tail.height]).toEqual([canvas.width, canvas.height]);
    expect(tail.ctx.only('setTransform')).toContainEqual(['setTransform', 2, 0, 0, 2, 0, 0]);
    for (const property of ['lineWidth=', 'lineCap=', 'lineJoin=', 'strokeStyle=', 'fillStyle=']) {
      expect(tail.ctx.only(property), property).toEqual(canvas.ctx.only(property));
    }
    FakeResizeObserver.last!.report(150.5, 400, [301, 800]);
    expect([tail.width, tail.height]).toEqual([301, 800]);
    expect(tail.ctx.only('setTransform')).toContainEqual(['setTransform', 2, 0, 0, 2, 0, 0]);
    expect(tail.ctx.only('lineWidth=').at(-1)).toEqual(['lineWidth=', pad.penWidth()]);
    pad.destroy();
    expect(tail.removed).toBe(true);
  });

  it('paints the unsettled end and the capped prediction at each move, on the tail layer only', () => {
    const { canvas } = drawWithPrediction([[50, 10], [100, 10]]);
    const tail = canvas.tail.ctx;
    // No frame yet, so nothing settled is on the pad: the tail shows the stroke from its start,
    // then the guess, cut 24 px past the last real point.
    expect(tail.only('clearRect', 'moveTo', 'quadraticCurveTo', 'lineTo')).toEqual([
      ['clearRect', 0, 0, 600, 400],
      ['moveTo', 10, 10],
      ['quadraticCurveTo', 20, 10, 25, 10],
      ['quadraticCurveTo', 30, 10, 35, 10],
      ['quadraticCurveTo', 37.5, 10, 40, 10],
      ['moveTo', 40, 10],
      ['lineTo', 50, 10],
      ['lineTo', 64, 10],
    ]);
    // The pad's own canvas never sees a guess.
    const xs = canvas.ctx.only('moveTo', 'lineTo', 'quadraticCurveTo', 'arc').flatMap(([name, ...args]) =>
      name === 'arc' ? [args[0]] : (args as number[]).filter((_, i) => i % 2 === 0),
    );
    expect(Math.max(...(xs as number[]))).toBeLessThanOrEqual(40);

    // The frame paints the settled segments on the pad; the tail keeps only the rest and the guess.
    tail.reset();
    flushFrames();
    expect(tail.only('clearRect')).toHaveLength(1);
    expect(tail.only('quadraticCurveTo')).toEqual([['quadraticCurveTo', 37.5, 10, 40, 10]]);
    expect(tail.only('lineTo')).toEqual([
      ['lineTo', 50, 10],
      ['lineTo', 64, 10],
    ]);
  });

  it('never puts a predicted point into the strokes read or undone', () => {
    const { canvas, pad, at } = drawWithPrediction([[60, 10], [80, 10]]);
    expect(pad.strokes).toEqual([REAL]);
    canvas.tail.ctx.reset();
    canvas.dispatchEvent(pointerEvent('pointerup', at(40, 10)));
    expect(pad.strokes).toEqual([REAL]);
    // Pen-up clears the tail and paints nothing more on it.
    expect(canvas.tail.ctx.only('clearRect', 'stroke', 'fill')).toEqual([['clearRect', 0, 0, 600, 400]]);
    const { image, origin } = pad.snapshot();
    const region = inkRegion([REAL], 300, 200, pad.penWidth())!;
    expect(origin).toEqual({ x: region.x, y: region.y });
    expect(image.strokes).toEqual(strokeTrace([REAL], pad.penWidth(), region));
    expect(pad.undo()).toBe(true);
    expect(pad.strokes).toEqual([]);
  });

  it('is cleared at pointercancel, undo and clear, mid-stroke', () => {
    for (const interrupt of ['cancel', 'undo', 'clear'] as const) {
      const { canvas, pad, at } = drawWithPrediction([[50, 10]]);
      canvas.tail.ctx.reset();
      if (interrupt === 'cancel') canvas.dispatchEvent(pointerEvent('pointercancel', at(40, 10)));
      if (interrupt === 'undo') pad.undo();
      if (interrupt === 'clear') pad.clear();
      expect(canvas.tail.ctx.only('clearRect', 'stroke', 'fill'), interrupt).toEqual([['clearRect', 0, 0, 600, 400]]);
      // Moves of the same pen after the stroke was dropped draw no tail.
      canvas.tail.ctx.reset();
      canvas.dispatchEvent(pointerEvent('pointermove', { ...at(45, 10), predicted: [pointerEvent('pointermove', at(50, 10))] }));
      expect(canvas.tail.ctx.only('stroke'), interrupt).toEqual([]);
    }
  });

  it(`draws no guess once the stroke has stopped at ${MAX_POINTS_PER_STROKE} points`, () => {
    const { canvas, at } = setup(new FakeCanvasInDocument());
    canvas.dispatchEvent(pointerEvent('pointerdown', at(0, 0)));
    const samples = Array.from({ length: MAX_POINTS_PER_STROKE }, (_, i) => pointerEvent('pointermove', at((i % 300) + 0.5, Math.floor(i / 300), i)));
    canvas.dispatchEvent(pointerEvent('pointermove', { ...at(1, 1), coalesced: samples }));
    canvas.tail.ctx.reset();
    canvas.dispatchEvent(pointerEvent('pointermove', { ...at(2, 150), predicted: [pointerEvent('pointermove', at(3, 160))] }));
    expect(canvas.tail.ctx.only('lineTo')).toEqual([]);
  });

  it('draws no guess where the browser makes none, and no error', () => {
    const { canvas, pad, at } = setup(new FakeCanvasInDocument());
    canvas.dispatchEvent(pointerEvent('pointerdown', at(10, 10)));
    canvas.dispatchEvent(pointerEvent('pointermove', at(20, 10))); // no getPredictedEvents at all
    canvas.dispatchEvent(pointerEvent('pointermove', { ...at(30, 10), predicted: [] }));
    expect(canvas.tail.ctx.only('lineTo')).toEqual([]);
    expect(canvas.tail.ctx.only('quadraticCurveTo').length).toBeGreaterThan(0); // the unsettled end still shows
    canvas.dispatchEvent(pointerEvent('pointerup', at(30, 10)));
    expect(pad.strokes).toHaveLength(1);
  });
});
