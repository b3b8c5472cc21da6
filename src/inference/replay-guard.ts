import { blendWithPrototypes, cosineDistance, PROTOTYPE_RADIUS, type Prototype } from './personal-prototypes';

/** Bytes per record of the replay file: the label, then the 28×28 crop (0–255, row by row). */
export const REPLAY_RECORD_BYTES = 1 + 784;

/** The replay file beside the model (`public/model/replay.bin`, built by `scripts/make-replay-set.ts`). */
export const REPLAY_FILE = 'replay.bin';

/** The generic replay set: crops of training writers' digits the model reads right, with their labels. */
export interface ReplaySet {
  /** count × 784 values in [0, 1]. */
  crops: Float32Array;
  /** The digit each crop is (0–9). */
  labels: Uint8Array;
}

/** The replay set read once by the model: what every correction is checked against. */
export interface ReplayReading {
  labels: Uint8Array;
  /** count × classes softmax probabilities. */
  probabilities: Float32Array;
  classes: number;
  /** count × size normalised penultimate-layer embeddings. */
  embeddings: Float32Array;
}

/** The replay set in a replay file; throws on a file that is not one. */
export function parseReplaySet(bytes: Uint8Array): ReplaySet {
  if (bytes.length === 0 || bytes.length % REPLAY_RECORD_BYTES !== 0) throw new Error(`A replay file is records of ${REPLAY_RECORD_BYTES} bytes; this one has ${bytes.length}`);
  const count = bytes.length / REPLAY_RECORD_BYTES;
  const labels = new Uint8Array(count);
  const crops = new Float32Array(count * 784);
  for (let i = 0; i < count; i++) {
    const record = bytes.subarray(i * REPLAY_RECORD_BYTES, (i + 1) * REPLAY_RECORD_BYTES);
    if (record[0] > 9) throw new Error(`Replay record ${i} has label ${record[0]}`);
    labels[i] = record[0];
    for (let p = 0; p < 784; p++) crops[i * 784 + p] = record[1 + p] / 255;
  }
  return { crops, labels };
}

/** The replay set as a replay file's bytes (crops quantised to 0–255). */
export function encodeReplaySet({ crops, labels }: ReplaySet): Uint8Array {
  const out = new Uint8Array(labels.length * REPLAY_RECORD_BYTES);
  labels.forEach((label, i) => {
    out[i * REPLAY_RECORD_BYTES] = label;
    for (let p = 0; p < 784; p++) out[i * REPLAY_RECORD_BYTES + 1 + p] = Math.round(Math.min(1, Math.max(0, crops[i * 784 + p])) * 255);
  });
  return out;
}

/** A replay crop whose reading a correction would change: its label, and what it was and would be read as (10: not a digit). */
export interface ReplayHarm {
  index: number;
  label: number;
  before: number;
  after: number;
}

/**
 * The replay crops whose most likely class differs between reading with `before` and with `after`
 * (the prototypes kept, then with a new correction's): a correction that changes how any generic
 * digit reads would change readings the person never asked to change, so it is refused.
 */
export function replayHarms(replay: ReplayReading, before: readonly Prototype[], after: readonly Prototype[], radius = PROTOTYPE_RADIUS): ReplayHarm[] {
  const { classes } = replay;
  const size = replay.embeddings.length / Math.max(1, replay.labels.length);
  // Only a crop within `radius` of a prototype added or dropped can read differently (the blend
  // counts no other): the rest are skipped, so a check costs the new correction's prototypes, not all kept.
  const kept = new Set(before);
  const now = new Set(after);
  const changed = [...after.filter((p) => !kept.has(p)), ...before.filter((p) => !now.has(p))];
  const harms: ReplayHarm[] = [];
  for (let i = 0; i < replay.labels.length; i++) {
    const embedding = replay.embeddings.subarray(i * size, (i + 1) * size);
    if (!changed.some((p) => cosineDistance(embedding, p.embedding) < radius)) continue;
    const probabilities = replay.probabilities.subarray(i * classes, (i + 1) * classes);
    const b = argmax(blendWithPrototypes(probabilities, embedding, before, { radius }));
    const a = argmax(blendWithPrototypes(probabilities, embedding, after, { radius }));
    if (a !== b) harms.push({ index: i, label: replay.labels[i], before: b, after: a });
  }
  return harms;
}

/** Why a correction was refused, in words for the person. */
export function describeHarms(harms: readonly ReplayHarm[], total: number): string {
  const name = (c: number) => (c >= 10 ? 'not a digit' : String(c));
  const first = harms[0];
  return `it would change how ${harms.length} of Digitpad's ${total} reference digits read (a ${first.label} would read ${name(first.after)}).`;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
