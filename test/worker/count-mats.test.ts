import { beforeAll, describe, expect, it } from 'vitest';
import type { CV } from '../../src/pipeline/opencv-types';
import { buildLattice } from '../../src/pipeline/lattice';
import { countMats, type CountedOpenCv } from '../../src/worker/count-mats';
import { pad, place, SHAPES } from '../support/fixtures';
import { loadOpenCv } from '../support/opencv';

let raw: CV;
let counted: CountedOpenCv;
beforeAll(async () => {
  raw = await loadOpenCv();
  counted = countMats(raw);
});

describe('countMats', () => {
  it('counts Mats from constructors, methods and MatVector.get until they are deleted', () => {
    const { cv } = counted;
    const before = counted.counts();
    const mat = new cv.Mat(4, 4, cv.CV_8UC1);
    const roi = mat.roi(new cv.Rect(0, 0, 2, 2));
    const clone = roi.clone();
    const vector = new cv.MatVector();
    vector.push_back(clone);
    const got = vector.get(0);
    expect(counted.counts()).toEqual({ created: before.created + 5, live: before.live + 5 });
    for (const m of [mat, roi, clone, vector, got]) m.delete();
    expect(counted.counts()).toEqual({ created: before.created + 5, live: before.live });
  });

  it('sees a Mat that is never deleted, and does not count raw ones', () => {
    const before = counted.counts();
    const leaked = new counted.cv.Mat(2, 2, raw.CV_8UC1);
    const uncounted = new raw.Mat(2, 2, raw.CV_8UC1);
    expect(counted.counts().live).toBe(before.live + 1);
    uncounted.delete();
    expect(counted.counts().live).toBe(before.live + 1);
    leaked.delete();
    expect(counted.counts().live).toBe(before.live);
  });

  it('leaves no Mat alive after the pipeline, which makes many', () => {
    const before = counted.counts();
    const result = buildLattice(counted.cv, pad([...place(SHAPES.two, 20, 20, 100), ...place(SHAPES.seven, 160, 20, 100)], 300, 160, 8));
    expect(result.candidates.length).toBeGreaterThanOrEqual(2);
    const after = counted.counts();
    expect(after.created - before.created).toBeGreaterThan(10);
    expect(after.live).toBe(before.live);
  });
});
