import { describe, expect, it } from 'vitest';
import { renderPhoto, type PhotoSpec } from '../../scripts/lib/render-photo';
import { digitsOf } from '../support/photos';

const base: PhotoSpec = { width: 320, height: 240, lines: [digitsOf(1, [4, 7, 2])], seed: 11 };

/** Mean of |a − b| over the RGB bytes. */
function meanDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) if (i % 4 !== 3) sum += Math.abs(a[i] - b[i]);
  return sum / ((a.length / 4) * 3);
}

/** The centre of mass (x, y) of the pixels darker than 120 in the red channel (the blue ink). */
function inkCentre(data: ArrayLike<number>, width: number): [number, number, number] {
  let [n, sx, sy] = [0, 0, 0];
  for (let p = 0; p < data.length / 4; p++) if (data[p * 4] < 120) [n, sx, sy] = [n + 1, sx + (p % width), sy + Math.floor(p / width)];
  return [sx / n, sy / n, n];
}

describe('renderPhoto camera conditions', () => {
  it('leaves a photo without them exactly as it was, and is deterministic with them', () => {
    const plain = renderPhoto(base).photo.data;
    expect(meanDifference(plain, renderPhoto({ ...base, rotate: 0, tilt: 0, blur: 0 }).photo.data)).toBe(0);
    const turned = { ...base, rotate: 10, tilt: 20, blur: 1, jpeg: [60, 60] as const };
    expect(meanDifference(renderPhoto(turned).photo.data, renderPhoto(turned).photo.data)).toBe(0);
    expect(meanDifference(plain, renderPhoto(turned).photo.data)).toBeGreaterThan(1);
  });

  it('washes a glossy board out towards white where it glares, and nowhere darker', () => {
    const plain = renderPhoto({ ...base, noise: 0 }).photo.data;
    const glaring = renderPhoto({ ...base, noise: 0, glare: 0.5 }).photo.data;
    let [brighter, darker, most] = [0, 0, 0];
    for (let i = 0; i < plain.length; i++) {
      if (i % 4 === 3) continue;
      if (glaring[i] > plain[i]) brighter++;
      if (glaring[i] < plain[i]) darker++;
      most = Math.max(most, glaring[i] - plain[i]);
    }
    expect(darker).toBe(0);
    expect(brighter / ((plain.length / 4) * 3)).toBeGreaterThan(0.3);
    expect(most).toBeGreaterThan(40); // ink under the glare's centre is far lighter
  });

  it('turns the writing about the centre: the ink moves but stays about as much', () => {
    const [x0, y0, n0] = inkCentre(renderPhoto(base).photo.data, base.width);
    const [x1, y1, n1] = inkCentre(renderPhoto({ ...base, rotate: 10 }).photo.data, base.width);
    expect(Math.hypot(x1 - x0, y1 - y0)).toBeLessThan(30);
    expect(n1 / n0).toBeGreaterThan(0.85);
    expect(n1 / n0).toBeLessThan(1.15);
  });

  it('blurs and compresses like a camera: edges soften, a JPEG stays close to the original', () => {
    const plain = renderPhoto({ ...base, noise: 0 }).photo.data;
    const blurred = renderPhoto({ ...base, noise: 0, blur: 2 }).photo.data;
    // Soft edges: more pixels between the ink's red (28) and the paper's (236, in shade down to ~140).
    const midTones = (data: ArrayLike<number>) => Array.from({ length: data.length / 4 }, (_, p) => data[p * 4]).filter((r) => r > 50 && r < 120).length;
    expect(midTones(blurred)).toBeGreaterThan(1.5 * midTones(plain));
    const jpeg = renderPhoto({ ...base, noise: 0, jpeg: [50, 50] }).photo.data;
    const difference = meanDifference(plain, jpeg);
    expect(difference).toBeGreaterThan(0.2);
    expect(difference).toBeLessThan(6);
  });
});
