import { scaleBox } from './boxes';
import { buildLattice, type Lattice } from './lattice';
import type { CV } from './opencv-types';
import { photoToInk, type PhotoInk } from './photo-to-ink';
import { findTextLines } from './text-lines';
import type { RgbaImage } from './types';

/** A picture's writing as lattices, one per line, top to bottom; boxes in the picture's pixels. */
export interface PhotoLattices {
  lines: Lattice[];
  /** The working size the picture was read at, and what was found on the way. */
  work: { width: number; height: number };
  polarity: PhotoInk['polarity'];
  linesRemoved: number;
  /** Atoms over all lines. */
  atomCount: number;
}

/**
 * Reads a photo as the pad's ink is read: the picture turned into ink (photoToInk), split into
 * lines of writing, and each line over-segmented by the same lattice the pad uses (its blobs as
 * atoms: a picture has no pen trace). Candidate boxes are mapped back to the picture's pixels.
 */
export function buildPhotoLattices(cv: CV, photo: RgbaImage): PhotoLattices {
  const { ink, scale, polarity, linesRemoved } = photoToInk(cv, photo);
  const lines = findTextLines(cv, ink)
    .map((line) => {
      const lattice = buildLattice(cv, line.image);
      const candidates = lattice.candidates.map((c) => {
        const inWork = { ...c.box, x: c.box.x + line.box.x, y: c.box.y + line.box.y };
        return { ...c, box: scaleBox(inWork, scale, photo) };
      });
      return { ...lattice, candidates };
    })
    .filter((lattice) => lattice.atomCount > 0);
  return { lines, work: { width: ink.width, height: ink.height }, polarity, linesRemoved, atomCount: lines.reduce((n, l) => n + l.atomCount, 0) };
}
