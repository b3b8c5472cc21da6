import { beforeAll, describe, expect, it } from 'vitest';
import type { Stroke } from '../../src/pipeline/rasterize-strokes';
import { binarize } from '../../src/pipeline/binarize';
import { dropNoise } from '../../src/pipeline/drop-noise';
import { estimateDigitHeight } from '../../src/pipeline/estimate-digit-height';
import { findInkBlobs } from '../../src/pipeline/find-ink-blobs';
import { groupStrokes } from '../../src/pipeline/group-strokes';
import type { CV } from '../../src/pipeline/opencv-types';
import { INK_THRESHOLD, SPECK_FRACTION } from '../../src/pipeline/options';
import { orderDigits } from '../../src/pipeline/order-digits';
import type { DigitGroup } from '../../src/pipeline/types';
import { pad, place, SHAPES } from '../support/fixtures';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

/** Blobs of the rendered strokes, grouped; also how many blobs there were. */
function group(strokes: Stroke[], width = 600, height = 400, pen = 8): { groups: DigitGroup[]; blobs: number } {
  const { blobs, labels } = findInkBlobs(cv, binarize(cv, pad(strokes, width, height, pen), INK_THRESHOLD));
  const digitHeight = estimateDigitHeight(blobs);
  const kept = dropNoise(blobs, SPECK_FRACTION * digitHeight);
  return { groups: orderDigits(groupStrokes(kept, labels, digitHeight)), blobs: kept.length };
}

describe('groupStrokes: one digit in several strokes makes one group', () => {
  const multiStroke: (keyof typeof SHAPES)[] = [
    'fiveWithHat',
    'sevenTwoStrokes',
    'sevenWithCrossbar',
    'fourOpen',
    'fourStemBelowBar',
    'oneWithBase',
    'zeroWithDot',
  ];
  it.each(multiStroke)('%s', (name) => {
    for (const [size, pen] of [[250, 8], [120, 4], [300, 18]]) {
      const { groups, blobs } = group(place(SHAPES[name], 150, 60, size), 600, 400, pen);
      // The fixture really is in separate blobs at this pen, so grouping is what joins them.
      expect(blobs).toBeGreaterThan(1);
      expect(groups).toHaveLength(1);
    }
  });
});

describe('groupStrokes: separate digits stay apart', () => {
  it('never merges two digit-sized blobs side by side, even nearly touching', () => {
    // "11" with 6 px between the strokes' edges.
    const { groups } = group([...place(SHAPES.one, 100, 50, 300), ...place(SHAPES.one, 120, 50, 300)], 600, 400, 6);
    expect(groups).toHaveLength(2);
  });

  it('keeps slanted neighbours apart although their boxes share columns', () => {
    const slanted = (x: number): Stroke[] => [[[x + 60, 40], [x, 340]]];
    const { groups } = group([...slanted(100), ...slanted(150), ...slanted(200)], 600, 400, 8);
    expect(groups).toHaveLength(3);
    expect(groups[0].box.x).toBeLessThan(groups[1].box.x);
  });

  it('does not give a small digit to a big neighbour whose overhang reaches over it', () => {
    // A 7 whose bar reaches right over a small 0 written close under it.
    const strokes = [...place(SHAPES.seven, 50, 50, 300), ...place(SHAPES.zero, 260, 220, 120)];
    expect(group(strokes).groups).toHaveLength(2);
  });

  it('keeps a 9 whose tail sweeps under a 4 apart from it, although it hangs lower like a stem', () => {
    // A training writer's "49" replayed by eval:real on the 880×432 desktop pad: the tail comes
    // 0.11–0.14 digit heights from the 4's ink, as close as some open 4s' stems, but it has a loop.
    const four: Stroke[] = [
      [[345, 66], [340, 76], [325, 98], [308, 136], [290, 185], [278, 228], [275, 244], [276, 257], [282, 269], [296, 278], [307, 278], [324, 275]],
      [[352, 223], [349, 220], [343, 226], [334, 246], [325, 273], [316, 311], [313, 334]],
    ];
    const nine: Stroke[] = [
      [[431, 164], [429, 157], [417, 157], [404, 168], [396, 185], [398, 203], [406, 214], [421, 213], [433, 204], [440, 191],
        [442, 180], [439, 181], [433, 205], [427, 236], [416, 270], [400, 302], [382, 333], [362, 355], [344, 370]],
    ];
    for (const pen of [10, 12, 14]) expect(group([...four, ...nine], 880, 432, pen).groups, `pen ${pen}`).toHaveLength(2);
  });

  it('reads a number with uneven heights and a slanted baseline', () => {
    const strokes = [
      ...place(SHAPES.two, 40, 120, 200),
      ...place(SHAPES.three, 210, 90, 150),
      ...place(SHAPES.fiveWithHat, 360, 40, 210),
      ...place(SHAPES.zero, 600, 20, 180),
    ];
    const { groups } = group(strokes, 800, 400, 8);
    expect(groups).toHaveLength(4);
  });

  it('keeps a stray dot as its own (small) group, for dropNoise to remove', () => {
    const strokes = [...place(SHAPES.one, 100, 50, 300), [[400, 200]]];
    const { groups } = group(strokes, 600, 400, 14);
    expect(groups).toHaveLength(2);
    expect(Math.max(groups[1].box.width, groups[1].box.height)).toBeLessThan(20);
  });

  it('returns no groups for no blobs', () => {
    expect(groupStrokes([], { width: 0, height: 0, labels: new Int32Array(0) }, 0)).toEqual([]);
  });
});
