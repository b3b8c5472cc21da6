import { beforeAll, expect, it } from 'vitest';
import { buildLattice } from '../../src/pipeline/lattice';
import type { CV } from '../../src/pipeline/opencv-types';
import { warmUpInk } from '../../src/pipeline/warm-up-ink';
import { loadOpenCv } from '../support/opencv';

let cv: CV;
beforeAll(async () => {
  cv = await loadOpenCv();
});

it('the warm-up number takes the lattice through cut strokes and merged strokes', () => {
  const ink = warmUpInk();
  expect(ink.strokes?.starts.length).toBe(5);
  const lattice = buildLattice(cv, ink);
  // The joined 2 and 3 cut at the pen's join: more atoms than strokes.
  expect(lattice.atomCount).toBeGreaterThan(5);
  // Candidates of several atoms (the open 4, the 5 with its hat) as well as single atoms.
  expect(lattice.candidates.some((c) => c.to - c.from > 1)).toBe(true);
  expect(lattice.candidates.length).toBeGreaterThan(lattice.atomCount);
});
