import { describe, expect, it } from 'vitest';
import { MAX_PEN_WIDTH, MIN_PEN_WIDTH } from '../../src/canvas/options';
import { penWidthFor } from '../../src/canvas/pen-width';

describe('penWidthFor', () => {
  it('is 1/45 of the smaller side within the clamp', () => {
    expect(penWidthFor({ width: 360, height: 450 })).toBe(8); // a phone in portrait
    expect(penWidthFor({ width: 900, height: 540 })).toBe(12);
  });

  it('is clamped on tiny and huge pads', () => {
    expect(penWidthFor({ width: 100, height: 100 })).toBe(MIN_PEN_WIDTH);
    expect(penWidthFor({ width: 4000, height: 3000 })).toBe(MAX_PEN_WIDTH);
  });

  it('is the thinnest pen for a pad not laid out yet or a nonsense size', () => {
    expect(penWidthFor({ width: 0, height: 0 })).toBe(MIN_PEN_WIDTH);
    expect(penWidthFor({ width: NaN, height: 300 })).toBe(MIN_PEN_WIDTH);
  });
});
