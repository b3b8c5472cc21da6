import { describe, expect, it } from 'vitest';
import { horizontalOverlap, scaleBox, unionBox, verticalOverlap } from '../../src/pipeline/boxes';
import { dropNoise } from '../../src/pipeline/drop-noise';
import { estimateDigitHeight } from '../../src/pipeline/estimate-digit-height';
import { orderDigits } from '../../src/pipeline/order-digits';
import type { DigitGroup, InkBlob } from '../../src/pipeline/types';

const blob = (label: number, x: number, y: number, width: number, height: number, area = width * height): InkBlob => ({
  label,
  box: { x, y, width, height },
  area,
});
const group = (x: number, y: number, width: number, height: number): DigitGroup => ({
  labels: [x],
  box: { x, y, width, height },
  area: width * height,
});

describe('box helpers', () => {
  it.each([
    // a, b, horizontal overlap (negative: gap)
    [{ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 }, 5],
    [{ x: 0, y: 0, width: 10, height: 10 }, { x: 14, y: 0, width: 10, height: 10 }, -4],
    [{ x: 0, y: 0, width: 10, height: 10 }, { x: 2, y: 0, width: 3, height: 10 }, 3],
  ])('horizontalOverlap(%o, %o) = %d', (a, b, expected) => {
    expect(horizontalOverlap(a, b)).toBe(expected);
    expect(horizontalOverlap(b, a)).toBe(expected);
  });

  it('measures vertical overlap and unions boxes', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    const b = { x: 20, y: 15, width: 5, height: 5 };
    expect(verticalOverlap(a, b)).toBe(-5);
    expect(unionBox(a, b)).toEqual({ x: 0, y: 0, width: 25, height: 20 });
  });

  it('scales boxes outward and clamps them inside the image', () => {
    expect(scaleBox({ x: 1, y: 1, width: 2, height: 2 }, 1.5, { width: 100, height: 100 })).toEqual({ x: 1, y: 1, width: 4, height: 4 });
    expect(scaleBox({ x: 90, y: -5, width: 30, height: 10 }, 1, { width: 100, height: 50 })).toEqual({ x: 90, y: 0, width: 10, height: 5 });
  });
});

describe('estimateDigitHeight', () => {
  it('is 0 without ink', () => {
    expect(estimateDigitHeight([])).toBe(0);
  });

  it('follows the strokes that hold most ink, not the number of specks', () => {
    const digits = [blob(1, 0, 0, 30, 100, 900), blob(2, 50, 0, 30, 90, 800)];
    const specks = Array.from({ length: 50 }, (_, i) => blob(3 + i, i * 3, 200, 2, 2, 4));
    expect(estimateDigitHeight([...digits, ...specks])).toBe(90);
  });

  it('barely moves for a 5 hat', () => {
    expect(estimateDigitHeight([blob(1, 0, 20, 60, 100, 1200), blob(2, 10, 0, 60, 10, 300)])).toBe(100);
  });
});

describe('dropNoise', () => {
  it('drops items smaller than the size in both directions, keeping order', () => {
    const items = [blob(1, 0, 0, 2, 2), blob(2, 0, 0, 20, 3), blob(3, 0, 0, 3, 3), blob(4, 0, 0, 1, 30)];
    expect(dropNoise(items, 5).map((b) => b.label)).toEqual([2, 4]);
  });

  it('keeps only the largest items beyond the cap, in their original order', () => {
    const items = [blob(1, 0, 0, 10, 10, 10), blob(2, 0, 0, 10, 10, 50), blob(3, 0, 0, 10, 10, 30), blob(4, 0, 0, 10, 10, 40)];
    expect(dropNoise(items, 0, 2).map((b) => b.label)).toEqual([2, 4]);
    expect(dropNoise(items, 0, 0)).toEqual([]);
  });
});

describe('orderDigits', () => {
  it('reads left to right by box centre, not by left edge', () => {
    // A wide 7 whose bar starts further left than a narrow slanted 1 before it.
    const one = group(100, 0, 20, 100);
    const seven = group(95, 0, 100, 100);
    const first = group(0, 50, 40, 60);
    expect(orderDigits([seven, first, one])).toEqual([first, one, seven]);
  });

  it('does not change its input', () => {
    const input = [group(50, 0, 10, 10), group(0, 0, 10, 10)];
    const copy = [...input];
    orderDigits(input);
    expect(input).toEqual(copy);
  });
});
