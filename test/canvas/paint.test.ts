import { describe, expect, it } from 'vitest';
import { clearInk, paintDot, paintSegments, paintStroke, prepareInk, readAlpha } from '../../src/canvas/paint';
import type { InkPoint } from '../../src/canvas/types';
import { RecordingContext } from './fakes';

const p = (x: number, y: number): InkPoint => ({ x, y, t: 0 });
const ZIGZAG = [p(0, 0), p(4, 8), p(8, 0), p(12, 8), p(16, 0), p(20, 8)];

/** The curves a run of paintSegments calls draws, as [fromX, fromY, cx, cy, toX, toY]. */
function curves(ctx: RecordingContext): number[][] {
  const out: number[][] = [];
  let at: number[] = [];
  for (const [name, ...args] of ctx.calls) {
    const n = args as number[];
    if (name === 'moveTo') at = n;
    if (name === 'quadraticCurveTo') {
      out.push([...at, ...n]);
      at = n.slice(2);
    }
  }
  return out;
}

describe('paint', () => {
  it('sets a round pen in CSS pixels scaled to the backing store', () => {
    const ctx = new RecordingContext({ width: 600, height: 300 });
    prepareInk(ctx.ink, 2, 2, 8, '#123');
    expect(ctx.calls).toEqual([
      ['setTransform', 2, 0, 0, 2, 0, 0],
      ['lineWidth=', 8],
      ['lineCap=', 'round'],
      ['lineJoin=', 'round'],
      ['strokeStyle=', '#123'],
      ['fillStyle=', '#123'],
    ]);
  });

  it('clears the whole backing store whatever the transform', () => {
    const ctx = new RecordingContext({ width: 600, height: 300 });
    clearInk(ctx.ink);
    expect(ctx.calls).toEqual([['save'], ['setTransform', 1, 0, 0, 1, 0, 0], ['clearRect', 0, 0, 600, 300], ['restore']]);
  });

  it('paints a single point as a filled dot of the pen width', () => {
    const ctx = new RecordingContext({ width: 10, height: 10 });
    paintStroke(ctx.ink, [p(3, 4)], 6);
    expect(ctx.calls).toEqual([['beginPath'], ['arc', 3, 4, 3, 0, Math.PI * 2], ['fill']]);
    ctx.reset();
    paintDot(ctx.ink, p(1, 1), 2);
    expect(ctx.only('arc')).toEqual([['arc', 1, 1, 1, 0, Math.PI * 2]]);
  });

  it('paints nothing for an empty stroke', () => {
    const ctx = new RecordingContext({ width: 10, height: 10 });
    paintStroke(ctx.ink, [], 6);
    expect(ctx.calls).toEqual([]);
  });

  it('paints a stroke as one smoothed path', () => {
    const ctx = new RecordingContext({ width: 10, height: 10 });
    paintStroke(ctx.ink, [p(0, 0), p(2, 2), p(4, 0), p(6, 2)], 4);
    expect(ctx.calls).toEqual([
      ['beginPath'],
      ['moveTo', 0, 0],
      ['quadraticCurveTo', 2, 2, 3, 1],
      ['quadraticCurveTo', 4, 0, 5, 1],
      ['quadraticCurveTo', 5.5, 1.5, 6, 2],
      ['stroke'],
    ]);
  });

  it('paints the same curves in runs as all at once (the incremental path)', () => {
    const whole = new RecordingContext({ width: 30, height: 30 });
    paintStroke(whole.ink, ZIGZAG, 4);
    const runs = new RecordingContext({ width: 30, height: 30 });
    for (const [from, to] of [[0, 1], [1, 1], [1, 3], [3, 5], [5, 99]]) paintSegments(runs.ink, ZIGZAG, from, to);
    expect(curves(runs)).toEqual(curves(whole));
    expect(runs.only('stroke')).toHaveLength(3); // empty runs draw nothing
  });

  it('reads the alpha channel into a buffer of its own', () => {
    const ctx = new RecordingContext({ width: 3, height: 2 });
    ctx.alpha = (x, y) => x * 100 + y;
    const alpha = readAlpha(ctx.ink, 3, 2);
    expect([...alpha]).toEqual([0, 100, 200, 1, 101, 201]);
    expect(alpha.buffer.byteLength).toBe(6);
  });
});
