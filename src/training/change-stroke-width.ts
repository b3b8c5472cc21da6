import type { FloatImage } from '../pipeline/types';

/** Which neighbourhood the grey morphology uses: a 3×3 cross grows strokes less than a square. */
export type Footprint = 'cross' | 'square';

/**
 * Thickens (grey dilation: max over the footprint) or thins (grey erosion: min) strokes by one
 * pixel per side per pass, imitating pens and fingers wider or narrower than MNIST's.
 */
export function changeStrokeWidth(
  image: FloatImage,
  { mode, footprint = 'cross', passes = 1 }: { mode: 'thicker' | 'thinner'; footprint?: Footprint; passes?: number },
): FloatImage {
  let current = image;
  for (let p = 0; p < passes; p++) current = morphOnce(current, mode === 'thicker', footprint === 'square');
  return current;
}

/** One 3×3 grey dilation or erosion pass; outside the image counts as background. */
function morphOnce(image: FloatImage, dilate: boolean, square: boolean): FloatImage {
  const { width, height, data } = image;
  const out = new Float32Array(width * height);
  const pick = dilate ? Math.max : Math.min;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = data[y * width + x];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx === 0 && dy === 0) || (!square && dx !== 0 && dy !== 0)) continue;
          const xx = x + dx;
          const yy = y + dy;
          const n = xx < 0 || yy < 0 || xx >= width || yy >= height ? 0 : data[yy * width + xx];
          v = pick(v, n);
        }
      }
      out[y * width + x] = v;
    }
  }
  return { width, height, data: out };
}
