import fc from 'fast-check';
import { afterEach, beforeEach, describe, it, vi } from 'vitest';
import { Ink, type AddResult, type InkLimits } from '../../src/canvas/ink';
import { MAX_POINTS_PER_STROKE, MAX_STROKES } from '../../src/canvas/options';
import { createDrawingPad } from '../../src/canvas/pad';
import type { InkPoint, Size, Stroke } from '../../src/canvas/types';
import { seededRandom } from '../../scripts/lib/pendigits';
import { FakeElement, RecordingContext, pointerEvent } from '../canvas/fakes';
import { fuzzParameters, fuzzTimeout } from './settings';

// Property tests for pointer input: random streams of points and pointer events (NaN, Infinity,
// far out of bounds, several pointers, cancels, 10,000-point strokes, resizes mid-stroke) never
// throw, and the ink always holds finite points inside the pad, within its caps.

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

/** A coordinate: mostly on or near the pad, sometimes NaN, ±Infinity, huge or anything at all. */
const coordinate = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -100, max: 2100, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -1e308, -0) },
  { weight: 1, arbitrary: fc.double() },
);
const point: fc.Arbitrary<InkPoint> = fc.record({ x: coordinate, y: coordinate, t: coordinate });
const size: fc.Arbitrary<Size> = fc.record({
  width: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2000, noNaN: true })),
  height: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2000, noNaN: true })),
});

/** A long stroke's points, made from a seed: up to 12,000 of them, a share of them invalid. */
function scribble(count: number, seed: number, badShare: number): InkPoint[] {
  const random = seededRandom(seed);
  let x = random() * 500;
  let y = random() * 500;
  return Array.from({ length: count }, (_, i) => {
    x += (random() - 0.5) * 20;
    y += (random() - 0.5) * 20;
    return random() < badShare ? { x: NaN, y, t: i } : { x, y, t: i };
  });
}
const scribbleArgs = fc.record({
  // Mostly short; sometimes past the 10,000-point cap (slow through the pad, so not too often).
  count: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 300 }) }, { weight: 1, arbitrary: fc.integer({ min: 9_990, max: 12_000 }) }),
  seed: fc.integer(),
  badShare: fc.constantFrom(0, 0.01, 0.5),
});

/** Checks the ink's invariants: finite points inside a laid-out area, caps respected, only the open stroke may be empty. */
function checkStrokes(strokes: readonly Stroke[], area: Size, caps: { points: number; strokes: number }, open: boolean): void {
  check(strokes.length <= caps.strokes, `${strokes.length} strokes > ${caps.strokes}`);
  const inside = area.width > 0 && area.height > 0;
  strokes.forEach((stroke, s) => {
    check(stroke.length <= caps.points, `stroke ${s} has ${stroke.length} points > ${caps.points}`);
    check(stroke.length > 0 || (open && s === strokes.length - 1), `closed stroke ${s} is empty`);
    for (const p of stroke) {
      check(Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isFinite(p.t), `stroke ${s}: non-finite point ${JSON.stringify(p)}`);
      check(!inside || (p.x >= 0 && p.y >= 0 && p.x <= area.width && p.y <= area.height), `stroke ${s}: ${p.x},${p.y} outside ${area.width}×${area.height}`);
    }
  });
}

describe('Ink under random operations', () => {
  type InkOp =
    | { op: 'begin' | 'extend'; point: InkPoint }
    | { op: 'scribble'; count: number; seed: number; badShare: number }
    | { op: 'end' | 'cancel' | 'undo' | 'clear' }
    | { op: 'resize'; size: Size };
  const inkOp: fc.Arbitrary<InkOp> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('begin' as const, 'extend' as const), point }) },
    { weight: 1, arbitrary: scribbleArgs.map((args) => ({ op: 'scribble' as const, ...args })) },
    { weight: 3, arbitrary: fc.constantFrom('end', 'cancel', 'undo', 'clear').map((op) => ({ op }) as InkOp) },
    { weight: 1, arbitrary: size.map((s) => ({ op: 'resize' as const, size: s })) },
  );
  // Small caps some of the time, so that runs reach them; the app's own caps otherwise.
  const limits: fc.Arbitrary<Partial<InkLimits>> = fc.oneof(
    fc.constant({}),
    fc.record({ maxPointsPerStroke: fc.integer({ min: 1, max: 50 }), maxStrokes: fc.integer({ min: 1, max: 10 }), minPointDistance: fc.constantFrom(0, 0.5, 3) }),
  );
  const RESULTS: readonly AddResult[] = ['added', 'skipped', 'limit'];

  it('never throws and keeps finite points inside the area, within the caps', { timeout: fuzzTimeout(3) }, () => {
    fc.assert(
      fc.property(size, limits, fc.array(inkOp, { maxLength: 60 }), (area, caps, ops) => {
        const ink = new Ink(area, caps);
        const max = { points: caps.maxPointsPerStroke ?? MAX_POINTS_PER_STROKE, strokes: caps.maxStrokes ?? MAX_STROKES };
        for (const op of ops) {
          switch (op.op) {
            case 'begin':
            case 'extend':
              check(RESULTS.includes(ink[op.op](op.point)), 'unknown result');
              break;
            case 'scribble':
              for (const p of scribble(op.count, op.seed, op.badShare)) ink.extend(p);
              break;
            case 'resize':
              ink.resize(op.size);
              checkStrokes(ink.strokes, ink.size, max, ink.drawing);
              break;
            default:
              ink[op.op]();
          }
          check(ink.strokes.length <= max.strokes, 'too many strokes');
          check(!ink.drawing || ink.strokes.length > 0, 'drawing without a stroke');
        }
        checkStrokes(ink.strokes, ink.size, max, ink.drawing);
        check(ink.isEmpty() === ink.strokes.every((s) => s.length === 0), 'isEmpty disagrees');
        check(ink.pointCount() === ink.strokes.reduce((n, s) => n + s.length, 0), 'pointCount disagrees');
      }),
      fuzzParameters(),
    );
  });

  it('refuses a size that is negative, NaN or infinite, and nothing else', () => {
    fc.assert(
      fc.property(fc.record({ width: fc.double(), height: fc.double() }), (s) => {
        const valid = [s.width, s.height].every((v) => Number.isFinite(v) && v >= 0);
        let threw = false;
        try {
          new Ink(s).resize(s);
        } catch (error) {
          threw = error instanceof RangeError;
          check(threw, `threw ${String(error)}`);
        }
        check(threw !== valid, `${s.width}×${s.height}: threw ${threw}`);
      }),
      fuzzParameters(),
    );
  });
});

/** A canvas element for the pad: fixed on the page at (10, 20) with a 1 px border, sized by the test. */
class FuzzCanvas extends FakeElement {
  width = 300;
  height = 150;
  clientWidth = 300;
  clientHeight = 200;
  readonly clientLeft = 1;
  readonly clientTop = 1;
  readonly ctx = new RecordingContext(this);
  getContext(kind: string) {
    return kind === '2d' ? this.ctx : null;
  }
  getBoundingClientRect() {
    return { left: 10, top: 20, width: this.clientWidth + 2, height: this.clientHeight + 2 };
  }
}

/** The ResizeObserver the pad creates, so the test can report sizes to it. */
let observer: { report(css: Size, device?: Size): void } | undefined;
let frames: FrameRequestCallback[] = [];

describe('the pad under random pointer streams', () => {
  beforeEach(() => {
    frames = [];
    observer = undefined;
    vi.stubGlobal('devicePixelRatio', 2);
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: (entries: unknown[]) => void) {
          observer = {
            report: (css, device) =>
              callback([{ contentRect: css, devicePixelContentBoxSize: device ? [{ inlineSize: device.width, blockSize: device.height }] : undefined }]),
          };
        }
        observe() {}
        disconnect() {}
      },
    );
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    vi.stubGlobal('cancelAnimationFrame', (id: number) => {
      frames[id - 1] = () => {};
    });
    vi.stubGlobal('getComputedStyle', () => ({ color: 'rgb(20, 33, 61)' }));
    vi.stubGlobal('matchMedia', () => ({ addEventListener() {}, removeEventListener() {} }));
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

  type PointerType = 'pointerdown' | 'pointermove' | 'pointerup' | 'pointercancel' | 'lostpointercapture';
  type PadInput =
    | { kind: 'pointer'; type: PointerType; id: number; button: number; at: InkPoint; coalesced: InkPoint[] | null }
    | { kind: 'scribble'; id: number; count: number; seed: number; badShare: number }
    | { kind: 'resize'; css: Size; device: boolean }
    | { kind: 'frame' | 'undo' | 'clear' | 'snapshot' };
  const pointerId = fc.integer({ min: 1, max: 3 });
  const pointerInput = (type: fc.Arbitrary<PointerType>, id: fc.Arbitrary<number>): fc.Arbitrary<PadInput> =>
    fc.record({
      kind: fc.constant('pointer' as const),
      type,
      id,
      button: fc.constantFrom(0, 0, 0, 1, 2, 5, -1),
      at: point,
      coalesced: fc.option(fc.array(point, { maxLength: 6 }), { nil: null }),
    });
  const scribbleInput = (id: fc.Arbitrary<number>): fc.Arbitrary<PadInput> =>
    fc.tuple(id, scribbleArgs).map(([pointer, args]) => ({ kind: 'scribble' as const, id: pointer, ...args }));
  const otherInput: fc.Arbitrary<PadInput> = fc.oneof(
    fc.record({ kind: fc.constant('resize' as const), css: size, device: fc.boolean() }),
    fc.constantFrom('frame', 'undo', 'clear', 'snapshot').map((kind) => ({ kind }) as PadInput),
  );
  /**
   * A stroke as a person makes one (down, moves, a long scribble now and then, then up, cancel or
   * nothing), with other pointers, resizes, frames, undo and clear mixed in, plus stray events.
   */
  const gesture: fc.Arbitrary<PadInput[]> = pointerId.chain((id) =>
    fc
      .tuple(
        pointerInput(fc.constant('pointerdown'), fc.constant(id)),
        fc.array(
          fc.oneof(
            { weight: 8, arbitrary: pointerInput(fc.constant('pointermove'), fc.constant(id)) },
            { weight: 1, arbitrary: scribbleInput(fc.constant(id)) },
            { weight: 1, arbitrary: pointerInput(fc.constantFrom('pointerdown', 'pointermove', 'pointerup', 'pointercancel'), pointerId) },
            { weight: 1, arbitrary: otherInput },
          ),
          { maxLength: 20 },
        ),
        fc.option(pointerInput(fc.constantFrom('pointerup', 'pointerup', 'pointercancel', 'lostpointercapture'), fc.constant(id)), { nil: undefined }),
      )
      .map(([down, middle, end]) => [down, ...middle, ...(end ? [end] : [])]),
  );
  const padInputs: fc.Arbitrary<PadInput[]> = fc
    .array(
      fc.oneof(
        { weight: 6, arbitrary: gesture },
        { weight: 2, arbitrary: pointerInput(fc.constantFrom('pointerdown', 'pointermove', 'pointerup', 'pointercancel', 'lostpointercapture'), pointerId).map((e) => [e]) },
        { weight: 1, arbitrary: otherInput.map((e) => [e]) },
      ),
      { maxLength: 12 },
    )
    .map((groups) => groups.flat());

  /** Pad CSS px → the client coordinates of an event (content box at 11, 21). */
  const client = (p: InkPoint) => ({ clientX: p.x + 11, clientY: p.y + 21, timeStamp: p.t });

  it('never throws; strokes hold finite points inside the pad; every start has one end', { timeout: fuzzTimeout(20) }, () => {
    fc.assert(
      fc.property(padInputs, (inputs) => {
        const canvas = new FuzzCanvas();
        let open = 0;
        const pad = createDrawingPad(canvas as unknown as HTMLCanvasElement, {
          onStrokeStart: () => {
            check(open === 0, 'a stroke started while one was open');
            open++;
          },
          onStrokeEnd: () => {
            check(open === 1, 'a stroke ended that had not started');
            open--;
          },
          onInkChange: () => undefined,
          onLimit: (message) => check(message.length > 0, 'empty limit message'),
        });
        const caps = { points: MAX_POINTS_PER_STROKE, strokes: MAX_STROKES };
        for (const input of inputs) {
          switch (input.kind) {
            case 'pointer': {
              const samples = input.coalesced?.map((p) => pointerEvent('pointermove', { pointerId: input.id, ...client(p) }));
              canvas.dispatchEvent(pointerEvent(input.type, { pointerId: input.id, button: input.button, ...client(input.at), coalesced: samples ?? null }));
              break;
            }
            case 'scribble':
              for (const p of scribble(input.count, input.seed, input.badShare)) {
                canvas.dispatchEvent(pointerEvent('pointermove', { pointerId: input.id, ...client(p) }));
              }
              break;
            case 'resize':
              canvas.clientWidth = input.css.width;
              canvas.clientHeight = input.css.height;
              observer?.report(input.css, input.device ? { width: Math.round(input.css.width * 2), height: Math.round(input.css.height * 2) } : undefined);
              break;
            case 'frame': {
              const pending = frames;
              frames = [];
              pending.forEach((callback) => callback(0));
              break;
            }
            case 'snapshot': {
              const { width, height } = pad.cssSize();
              const { image, origin } = pad.snapshot();
              check(origin.x >= 0 && origin.y >= 0 && Number.isInteger(origin.x) && Number.isInteger(origin.y), 'snapshot origin');
              check(origin.x + image.width <= Math.round(width) && origin.y + image.height <= Math.round(height), 'snapshot inside the pad');
              check(pad.isEmpty() ? image.width === Math.round(width) && image.height === Math.round(height) : true, 'empty pad snapshot is the whole pad');
              check(image.data.length === image.width * image.height, 'snapshot data length');
              break;
            }
            default:
              pad[input.kind]();
          }
          check(Number.isInteger(canvas.width) && Number.isInteger(canvas.height) && canvas.width > 0 && canvas.height > 0, `backing store ${canvas.width}×${canvas.height}`);
          check(pad.penWidth() > 0 && Number.isFinite(pad.penWidth()), `pen ${pad.penWidth()}`);
        }
        checkStrokes(pad.strokes, pad.cssSize(), caps, open === 1);
        // Lifting every pointer closes any open stroke.
        for (const id of [1, 2, 3]) canvas.dispatchEvent(pointerEvent('pointerup', { pointerId: id }));
        check(open === 0, 'a stroke was left open after every pointer lifted');
        pad.destroy();
        check(canvas.listening().length === 0, `listeners left: ${canvas.listening().join(', ')}`);
      }),
      fuzzParameters(),
    );
  });
});
