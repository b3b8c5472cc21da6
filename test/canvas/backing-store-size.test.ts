import { describe, expect, it } from 'vitest';
import { backingStoreSize } from '../../src/canvas/backing-store-size';

describe('backingStoreSize', () => {
  it('is the CSS size × devicePixelRatio, rounded, without a device-pixel box', () => {
    expect(backingStoreSize({ width: 300, height: 200 }, 2)).toEqual({ width: 600, height: 400 });
    expect(backingStoreSize({ width: 250.25, height: 100.2 }, 3)).toEqual({ width: 751, height: 301 });
  });

  it('takes the exact device-pixel box when it agrees to a pixel of snapping', () => {
    expect(backingStoreSize({ width: 150.5, height: 100 }, 3, { width: 451, height: 300 })).toEqual({ width: 451, height: 300 });
    expect(backingStoreSize({ width: 100.4, height: 100 }, 1, { width: 101, height: 100 })).toEqual({ width: 101, height: 100 });
  });

  it('ignores a device-pixel box that missed the ratio (Chromium device emulation)', () => {
    expect(backingStoreSize({ width: 300, height: 200 }, 2, { width: 300, height: 200 })).toEqual({ width: 600, height: 400 });
  });

  it('treats a nonsense ratio as 1', () => {
    expect(backingStoreSize({ width: 30, height: 20 }, NaN)).toEqual({ width: 30, height: 20 });
    expect(backingStoreSize({ width: 30, height: 20 }, 0)).toEqual({ width: 30, height: 20 });
  });
});
