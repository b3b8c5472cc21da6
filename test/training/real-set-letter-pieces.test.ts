import { beforeAll, describe, expect, it } from 'vitest';
import { A_MARK, NOT_A_DIGIT } from '../../src/inference/model';
import type { CV } from '../../src/pipeline/opencv-types';
import { buildRealHandwritingSet, DEFAULT_REAL_SET_OPTIONS, type RealSetOptions } from '../../scripts/lib/pendigits-training-set';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

/** Letters only: no digits, numbers, pairs or scribbles, so the set is small. */
const lettersOnly = (letterPieces: number): RealSetOptions => ({
  ...DEFAULT_REAL_SET_OPTIONS,
  pendigitsVariants: 0,
  unipenVariants: 0,
  maxLetters: 60,
  letterPieces,
  scribbles: 0,
  pairShare: 0,
  numbers: 0,
  joinedNumbers: 0,
});

describe('letters in the real-handwriting set', () => {
  it('teaches pieces of letters as "not a digit" (a wrong cut) only when asked, whole letters as marks', () => {
    const without = buildRealHandwritingSet(cv, lettersOnly(0), undefined);
    expect(without.kinds['pieces of letters']).toBeUndefined();
    expect(without.kinds['letters and symbols']).toBe(60);
    expect([...without.labels].every((label) => label === A_MARK)).toBe(true);

    const withPieces = buildRealHandwritingSet(cv, lettersOnly(1), undefined);
    const pieces = withPieces.kinds['pieces of letters'];
    // Letters of several strokes or cut at the pen's joins have pieces; at most one each is taken.
    expect(pieces).toBeGreaterThan(5);
    expect(pieces).toBeLessThanOrEqual(60);
    expect(withPieces.count).toBe(60 + pieces);
    expect([...withPieces.labels].filter((label) => label === NOT_A_DIGIT)).toHaveLength(pieces);
  });
});
