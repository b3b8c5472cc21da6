import { afterEach, describe, expect, it, vi } from 'vitest';
import { INK_REGION_MARGIN, inkRegion, renderInkImage } from '../../src/canvas/render-ink-image';
import type { InkPoint } from '../../src/canvas/types';
import { RecordingContext } from './fakes';

const p = (x: number, y: number): InkPoint => ({ x, y, t: 0 });

/** Installs an OffscreenCanvas whose contexts record into `made`; ink is wherever alpha(x, y) says. */
function stubOffscreenCanvas(alpha: (x: number, y: number) => number): RecordingContext[] {
  const made: RecordingContext[] = [];
  vi.stubGlobal(
    'OffscreenCanvas',
    class {
      constructor(
        readonly width: number,
        readonly height: number,
      ) {}
      getContext(kind: string, settings: unknown) {
        expect(kind).toBe('2d');
        expect(settings).toEqual({ willReadFrequently: true });
        const ctx = new RecordingContext(this);
        ctx.alpha = alpha;
        made.push(ctx);
        return ctx;
      }
    },
  );
  return made;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('renderInkImage', () => {
  it('draws the strokes at 1 CSS px = 1 px, round pen, and returns the alpha channel', () => {
    const made = stubOffscreenCanvas((x, y) => (x === 1 && y === 2 ? 255 : 0));
    const image = renderInkImage([[p(1, 1), p(3, 3)], [p(2, 0)]], 4, 3, 5);
    expect(image.width).toBe(4);
    expect(image.height).toBe(3);
    expect(image.data).toBeInstanceOf(Uint8ClampedArray);
    expect(image.data.buffer.byteLength).toBe(12); // its own buffer: transferable as is
    expect([...image.data]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0]);
    const ctx = made[0];
    expect(ctx.only('setTransform', 'lineWidth=', 'lineCap=', 'lineJoin=')).toEqual([
      ['setTransform', 1, 0, 0, 1, 0, 0], // clearInk
      ['setTransform', 1, 0, 0, 1, 0, 0], // prepareInk at scale 1
      ['lineWidth=', 5],
      ['lineCap=', 'round'],
      ['lineJoin=', 'round'],
    ]);
    expect(ctx.only('moveTo', 'quadraticCurveTo', 'arc')).toEqual([
      ['moveTo', 1, 1],
      ['quadraticCurveTo', 2, 2, 3, 3],
      ['arc', 2, 0, 2.5, 0, Math.PI * 2],
    ]);
    expect(ctx.only('getImageData')).toEqual([['getImageData', 0, 0, 4, 3]]);
  });

  it('draws only a region when given one: shifted by its corner, an image of its size', () => {
    const made = stubOffscreenCanvas((x, y) => (x === 0 && y === 1 ? 200 : 0));
    const image = renderInkImage([[p(11, 21), p(13, 23)]], 400, 300, 2, { x: 10, y: 20, width: 5, height: 4 });
    expect([image.width, image.height, image.data.length]).toEqual([5, 4, 20]);
    expect(image.data[5]).toBe(200);
    const ctx = made[0];
    expect(ctx.only('setTransform')).toEqual([
      ['setTransform', 1, 0, 0, 1, 0, 0], // clearInk
      ['setTransform', 1, 0, 0, 1, 0, 0], // prepareInk at scale 1
      ['setTransform', 1, 0, 0, 1, -10, -20], // the region's corner becomes the image's
    ]);
    expect(ctx.only('moveTo')).toEqual([['moveTo', 11, 21]]); // pad coordinates, moved by the transform
    expect(ctx.only('getImageData')).toEqual([['getImageData', 0, 0, 5, 4]]);
  });

  it('rounds fractional CSS sizes', () => {
    stubOffscreenCanvas(() => 0);
    const image = renderInkImage([], 299.6, 150.4, 8);
    expect([image.width, image.height, image.data.length]).toEqual([300, 150, 300 * 150]);
  });

  it('gives an empty image for a zero side without touching a canvas', () => {
    const made = stubOffscreenCanvas(() => 0);
    expect(renderInkImage([[p(0, 0)]], 0, 100, 8)).toEqual({ width: 0, height: 100, data: new Uint8ClampedArray(0) });
    expect(made).toHaveLength(0);
  });

  it('refuses nonsense sizes and pen widths', () => {
    stubOffscreenCanvas(() => 0);
    expect(() => renderInkImage([], NaN, 10, 8)).toThrow(RangeError);
    expect(() => renderInkImage([], 10, -1, 8)).toThrow(RangeError);
    expect(() => renderInkImage([], Infinity, 10, 8)).toThrow(RangeError);
    expect(() => renderInkImage([], 10, 10, 0)).toThrow(RangeError);
  });

  it('says what it needs when there is neither OffscreenCanvas nor a document', () => {
    vi.stubGlobal('OffscreenCanvas', undefined);
    expect(() => renderInkImage([], 10, 10, 8)).toThrow(/OffscreenCanvas or a document/);
  });
});

describe('inkRegion', () => {
  it('bounds the points, grown by half the pen and the margin, in whole pixels', () => {
    const reach = 3 + INK_REGION_MARGIN;
    expect(inkRegion([[p(100.5, 50), p(120, 80.2)], [p(110, 60)]], 400, 300, 6)).toEqual({
      x: Math.floor(100.5 - reach),
      y: 50 - reach,
      width: Math.ceil(120 + reach) - Math.floor(100.5 - reach),
      height: Math.ceil(80.2 + reach) - (50 - reach),
    });
  });

  it('stays inside the pad', () => {
    expect(inkRegion([[p(1, 2), p(398, 299)]], 400, 300, 10)).toEqual({ x: 0, y: 0, width: 400, height: 300 });
  });

  it('is null without ink, and skips points that are not finite', () => {
    expect(inkRegion([], 400, 300, 6)).toBeNull();
    expect(inkRegion([[p(NaN, 5)]], 400, 300, 6)).toBeNull();
    expect(inkRegion([[p(NaN, 5), p(200, 100)]], 400, 300, 2)).toEqual({
      x: 199 - INK_REGION_MARGIN,
      y: 99 - INK_REGION_MARGIN,
      width: 2 + 2 * INK_REGION_MARGIN,
      height: 2 + 2 * INK_REGION_MARGIN,
    });
  });
});
