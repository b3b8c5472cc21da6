import { describe, expect, it } from 'vitest';
import { MAX_PREDICTION_REACH } from '../../src/canvas/options';
import { paintTail, withinReach } from '../../src/canvas/tail';
import type { InkPoint } from '../../src/canvas/types';
import { RecordingContext } from './fakes';

const p = (x: number, y: number): InkPoint => ({ x, y, t: 0 });
const CLEAR = [['save'], ['setTransform', 1, 0, 0, 1, 0, 0], ['clearRect', 0, 0, 600, 400], ['restore']];

/** Length of the polyline from `start` through the lineTo calls recorded in `ctx`. */
function lineLength(ctx: RecordingContext, start: { x: number; y: number }): number {
  let at = start;
  let length = 0;
  for (const [, x, y] of ctx.only('lineTo') as [string, number, number][]) {
    length += Math.hypot(x - at.x, y - at.y);
    at = { x, y };
  }
  return length;
}

describe('paintTail', () => {
  it('only clears when there is no unsettled end and no prediction', () => {
    const ctx = new RecordingContext({ width: 600, height: 400 });
    paintTail(ctx.ink, [p(5, 5)], 0, []); // a pen-down: its dot is on the pad already
    expect(ctx.calls).toEqual(CLEAR);
    ctx.reset();
    paintTail(ctx.ink, [p(0, 0), p(10, 0), p(20, 0)], 2, []); // everything painted on the pad
    expect(ctx.calls).toEqual(CLEAR);
    ctx.reset();
    paintTail(ctx.ink, [], 0, [p(3, 3)]); // no real point to lead from
    expect(ctx.calls).toEqual(CLEAR);
  });

  it('clears before painting, so each move replaces the last tail', () => {
    const ctx = new RecordingContext({ width: 600, height: 400 });
    paintTail(ctx.ink, [p(0, 0), p(10, 0)], 0, [p(15, 0)]);
    expect(ctx.calls.slice(0, CLEAR.length)).toEqual(CLEAR);
    expect(ctx.only('stroke')).toHaveLength(2);
  });

  it('paints the stroke from segment `from` to its end, then the prediction from the last real point', () => {
    const ctx = new RecordingContext({ width: 600, height: 400 });
    paintTail(ctx.ink, [p(0, 0), p(10, 0), p(20, 10), p(30, 10)], 1, [p(34, 10), p(38, 12)]);
    expect(ctx.only('moveTo', 'quadraticCurveTo', 'lineTo', 'stroke')).toEqual([
      ['moveTo', 15, 5],
      ['quadraticCurveTo', 20, 10, 25, 10],
      ['quadraticCurveTo', 27.5, 10, 30, 10],
      ['stroke'],
      ['moveTo', 30, 10],
      ['lineTo', 34, 10],
      ['lineTo', 38, 12],
      ['stroke'],
    ]);
  });

  it(`never reaches more than ${MAX_PREDICTION_REACH} CSS px beyond the last real point`, () => {
    const ctx = new RecordingContext({ width: 600, height: 400 });
    const last = p(100, 100);
    paintTail(ctx.ink, [p(90, 100), last], 1, [p(110, 100), p(130, 100), p(400, 300)]);
    expect(ctx.only('lineTo')).toEqual([
      ['lineTo', 110, 100],
      ['lineTo', 100 + MAX_PREDICTION_REACH, 100],
    ]);
    // A guess that turns back is cut by the length of its path, not by how far it ends up.
    ctx.reset();
    paintTail(ctx.ink, [last], 0, [p(100, 120), p(100, 90), p(100, 300)]);
    expect(lineLength(ctx, last)).toBeCloseTo(MAX_PREDICTION_REACH, 9);
    for (const [, x, y] of ctx.only('lineTo') as [string, number, number][]) {
      expect(Math.hypot(x - last.x, y - last.y)).toBeLessThanOrEqual(MAX_PREDICTION_REACH);
    }
  });

  it('takes a smaller reach, and draws no prediction with none', () => {
    const ctx = new RecordingContext({ width: 600, height: 400 });
    paintTail(ctx.ink, [p(0, 0)], 0, [p(3, 4), p(6, 8)], 5);
    expect(ctx.only('lineTo')).toEqual([['lineTo', 3, 4]]);
    ctx.reset();
    paintTail(ctx.ink, [p(0, 0)], 0, [p(3, 4)], 0);
    expect(ctx.calls).toEqual(CLEAR);
  });
});

describe('withinReach', () => {
  it('keeps the points within reach and cuts the one that crosses it at the limit', () => {
    expect(withinReach(p(0, 0), [p(3, 4), p(6, 8), p(9, 12)], 12)).toEqual([
      { x: 3, y: 4 },
      { x: 6, y: 8 },
      { x: 7.2, y: 9.6 },
    ]);
    expect(withinReach(p(0, 0), [p(3, 4), p(6, 8)], 10)).toEqual([
      { x: 3, y: 4 },
      { x: 6, y: 8 },
    ]);
  });

  it('stops at a non-finite point and keeps nothing for no reach or no points', () => {
    expect(withinReach(p(0, 0), [p(1, 0), p(NaN, 0), p(2, 0)], 24)).toEqual([{ x: 1, y: 0 }]);
    expect(withinReach(p(0, 0), [p(1, 0)], 0)).toEqual([]);
    expect(withinReach(p(0, 0), [], 24)).toEqual([]);
  });
});
