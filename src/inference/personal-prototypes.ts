import { A_MARK, DIGIT_CLASSES, NOT_A_DIGIT } from './model-shape';

/** What a person says a crop is: a digit 0–9, or "none" (not a digit). */
export type CorrectionLabel = number | 'none';

/** Corrections kept per label: the latest win, so storage and the worker's memory stay bounded. */
export const KEPT_PER_LABEL = 20;

/**
 * Cosine distance (1 − cos) in the penultimate layer's space within which a person's corrected
 * crop speaks for a crop being read. Beyond it a reading is left exactly as the model gave it: the
 * safety net for digits the person never corrected. Tuned on training writers only
 * (`npm run eval:personal -- --writers training`, README).
 */
export const PROTOTYPE_RADIUS = 0.12;

/**
 * The most a person's corrections can weigh against the model (at distance 0). Above 0.5 the
 * same crop, corrected once, reads as the person said however sure the model was.
 */
export const PROTOTYPE_WEIGHT = 0.9;

/** A person's corrected crop in the model's penultimate-layer space. */
export interface Prototype {
  /** L2-normalised embedding. */
  embedding: Float32Array;
  /** The model's class: 0–9, or A_MARK ("not a digit"). */
  classIndex: number;
}

/** Options for {@link blendWithPrototypes}; the defaults are what the app uses. */
export interface BlendOptions {
  radius?: number;
  weight?: number;
}

/** The model's class index for a person's label ("none", said of a whole crop, is A_MARK). */
export function classOfLabel(label: CorrectionLabel): number {
  if (label === 'none') return A_MARK;
  if (!Number.isInteger(label) || label < 0 || label >= DIGIT_CLASSES) throw new Error(`Not a correction label: ${String(label)}`);
  return label;
}

/** A copy of `vector` scaled to length 1 (all zeros stays all zeros). */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const out = new Float32Array(vector.length);
  if (sum === 0) return out;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] * scale;
  return out;
}

/** 1 − cos between two L2-normalised vectors (0 the same direction, 2 opposite; 1 for a zero vector). */
export function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return 1 - dot;
}

/**
 * The model's probabilities for one crop (length 12; 11 or 10 from older models) blended with
 * the evidence of the person's prototypes near its embedding: each prototype within `radius` votes
 * for its class with weight (1 − d/radius)², the mix is `weight` × the strongest vote. With no
 * prototype within `radius` the probabilities come back unchanged (the same array).
 */
export function blendWithPrototypes(
  probabilities: Float32Array,
  embedding: Float32Array,
  prototypes: readonly Prototype[],
  { radius = PROTOTYPE_RADIUS, weight = PROTOTYPE_WEIGHT }: BlendOptions = {},
): Float32Array {
  const votes = new Float64Array(probabilities.length);
  let total = 0;
  let strongest = 0;
  for (const prototype of prototypes) {
    // An 11-output model has one "not a digit"; a digits-only model has none to vote for.
    const classIndex = prototype.classIndex === A_MARK && probabilities.length === A_MARK ? NOT_A_DIGIT : prototype.classIndex;
    if (classIndex >= probabilities.length) continue;
    const distance = cosineDistance(embedding, prototype.embedding);
    if (distance >= radius) continue;
    const vote = (1 - distance / radius) ** 2;
    votes[classIndex] += vote;
    total += vote;
    strongest = Math.max(strongest, vote);
  }
  if (total === 0) return probabilities;
  const mix = weight * strongest;
  const out = new Float32Array(probabilities.length);
  for (let c = 0; c < probabilities.length; c++) out[c] = (1 - mix) * probabilities[c] + (mix * votes[c]) / total;
  return out;
}

/** Blends every row of a count × classes probability matrix (embeddings count × size, normalised); a new matrix. */
export function blendRows(probabilities: Float32Array, classes: number, embeddings: Float32Array, prototypes: readonly Prototype[], options?: BlendOptions): Float32Array {
  const count = probabilities.length / classes;
  const size = embeddings.length / Math.max(1, count);
  const out = new Float32Array(probabilities);
  if (prototypes.length === 0) return out;
  for (let i = 0; i < count; i++) {
    const row = probabilities.subarray(i * classes, (i + 1) * classes);
    out.set(blendWithPrototypes(row, embeddings.subarray(i * size, (i + 1) * size), prototypes, options), i * classes);
  }
  return out;
}

/**
 * The latest `perLabel` items of each label, in their original order (oldest first): what is kept
 * when a person has corrected one digit many times.
 */
export function keepLatestPerLabel<T>(items: readonly T[], labelOf: (item: T) => string | number, perLabel = KEPT_PER_LABEL): T[] {
  const seen = new Map<string | number, number>();
  const keep = new Array<boolean>(items.length).fill(false);
  for (let i = items.length - 1; i >= 0; i--) {
    const label = labelOf(items[i]);
    const n = seen.get(label) ?? 0;
    if (n < perLabel) keep[i] = true;
    seen.set(label, n + 1);
  }
  return items.filter((_, i) => keep[i]);
}

/** Most corrections ever kept: every label (0–9 and "none") full. */
export const MAX_KEPT = KEPT_PER_LABEL * (DIGIT_CLASSES + 1);
