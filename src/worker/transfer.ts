import type { LabelledCrop } from '../inference/classifier';
import type { LearnAnswer } from './contract';

/** The distinct buffers of corrections' crops and given prototypes, to transfer (a Set: two may share one). */
export function correctionBuffers(corrections: readonly LabelledCrop[]): ArrayBuffer[] {
  return distinct(corrections.flatMap((c) => [c.crop.buffer, c.prototypes?.embeddings.buffer]));
}

/** The distinct buffers of the prototypes an answer carries, to transfer. */
export function answerBuffers(answer: LearnAnswer): ArrayBuffer[] {
  return distinct(answer.computed.map((c) => c.prototypes.embeddings.buffer));
}

function distinct(buffers: readonly (ArrayBufferLike | undefined)[]): ArrayBuffer[] {
  return [...new Set(buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer))];
}
