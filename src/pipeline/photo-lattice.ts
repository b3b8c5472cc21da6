import { scaleBox } from './boxes';
import { estimateSkew, levelInk } from './deskew';
import { buildLattice, type Lattice } from './lattice';
import type { CV } from './opencv-types';
import { DESKEW, DESKEW_MIN_DEGREES } from './photo-options';
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
 * atoms: a picture has no pen trace). Each line is turned level first when its writing is
 * turned (a rotated photo; in a tilted one each line has its own angle). Candidate boxes are mapped
 * back to the picture's pixels (the bounding box of a turned box). `deskew` picks how a line is
 * made level (evaluation compares them).
 */
export function buildPhotoLattices(cv: CV, photo: RgbaImage, deskew: 'rotate' | 'shear' | 'off' = DESKEW): PhotoLattices {
  const { ink, scale, polarity, linesRemoved } = photoToInk(cv, photo);
  const lines = findTextLines(cv, ink)
    .map((line) => {
      const degrees = deskew === 'off' ? 0 : estimateSkew(line.image);
      const level = deskew !== 'off' && Math.abs(degrees) >= DESKEW_MIN_DEGREES ? levelInk(cv, line.image, degrees, deskew) : undefined;
      const lattice = buildLattice(cv, level?.image ?? line.image);
      const candidates = lattice.candidates.map((c) => {
        const inLine = level ? level.toOriginal(c.box) : c.box;
        const inWork = { ...inLine, x: inLine.x + line.box.x, y: inLine.y + line.box.y };
        return { ...c, box: scaleBox(inWork, scale, photo) };
      });
      return { ...lattice, candidates };
    })
    .filter((lattice) => lattice.atomCount > 0);
  return { lines, work: { width: ink.width, height: ink.height }, polarity, linesRemoved, atomCount: lines.reduce((n, l) => n + l.atomCount, 0) };
}
