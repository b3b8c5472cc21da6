import type * as tfl from '@tensorflow/tfjs-layers';
import { rankClasses, type DigitPrediction } from '../../src/inference/classifier';
import { readCrops } from '../../src/inference/read-crops';
import { formatReading, readDigits } from '../../src/inference/read-digits';
import { chooseScoredReading, type NumberReading } from '../../src/inference/read-number';
import { betterReading, uprightLookFor } from '../../src/inference/upright-look';
import { segmentDigits } from '../../src/pipeline/segment';
import { buildLattice, type Lattice } from '../../src/pipeline/lattice';
import type { CV } from '../../src/pipeline/opencv-types';
import type { InkImage } from '../../src/pipeline/types';

/** What reading one image took: the lattice's size and the batch the model read. */
export interface ReadingCost {
  atoms: number;
  candidates: number;
}

/**
 * Reads ink as the app's worker does, in Node: the lattice, every candidate in one batched call,
 * and the best path; then, where the writing leans and that reading left doubt, the same on the ink
 * redrawn upright, keeping the better-scoring reading (`upright: false` reads as written only).
 */
export function createNodeReader(cv: CV, model: tfl.LayersModel, { upright = true } = {}): (image: InkImage) => NumberReading & { cost: ReadingCost } {
  return (image) => {
    const { lattice, predictions } = readLattice(cv, model, image);
    const asWritten = chooseScoredReading(lattice, predictions);
    const cost = { atoms: lattice.atomCount, candidates: lattice.candidates.length };
    const ink = upright ? uprightLookFor(image, asWritten) : undefined;
    if (!ink) return { ...asWritten.reading, cost };
    const second = readLattice(cv, model, ink.image);
    const reading = betterReading(asWritten, chooseScoredReading(second.lattice, second.predictions), ink);
    return { ...reading, cost: { atoms: cost.atoms + second.lattice.atomCount, candidates: cost.candidates + second.lattice.candidates.length } };
  };
}

/** The image's lattice and the model's reading of every candidate (one batched call), before a path is chosen. */
export function readLattice(cv: CV, model: tfl.LayersModel, image: InkImage): { lattice: Lattice; predictions: DigitPrediction[] } {
  const lattice = buildLattice(cv, image);
  const n = lattice.candidates.length;
  const pixels = new Float32Array(n * 784);
  lattice.candidates.forEach((c, i) => pixels.set(c.pixels, i * 784));
  const { probabilities, classes } = n > 0 ? readCrops(model, pixels, n) : { probabilities: new Float32Array(0), classes: 0 };
  return { lattice, predictions: lattice.candidates.map((_, i) => rankClasses(probabilities.subarray(i * classes, (i + 1) * classes))) };
}

/**
 * The reader before the lattice, for comparison: blobs grouped into digits by geometry alone
 * (segmentDigits), each group read once and shown whatever the model says.
 */
export function createGeometricReader(cv: CV, model: tfl.LayersModel): (image: InkImage) => NumberReading & { cost: ReadingCost } {
  return (image) => {
    const { digits, truncated } = segmentDigits(cv, image);
    const pixels = new Float32Array(digits.length * 784);
    digits.forEach((d, i) => pixels.set(d.pixels, i * 784));
    const { probabilities, classes } = digits.length > 0 ? readCrops(model, pixels, digits.length) : { probabilities: new Float32Array(0), classes: 0 };
    const readings = readDigits(digits.map((_, i) => rankClasses(probabilities.subarray(i * classes, (i + 1) * classes))));
    return {
      digits: digits.map((d, i) => ({ ...readings[i], box: d.box, crop: d.pixels })),
      text: formatReading(readings),
      truncated,
      cost: { atoms: digits.length, candidates: digits.length },
    };
  };
}
