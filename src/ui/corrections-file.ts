import type { CorrectionPrototypes } from '../inference/classifier';
import { MODEL_INPUT_SIZE } from '../inference/model-shape';
import { keepLatestPerLabel, type CorrectionLabel } from '../inference/personal-prototypes';

/** Values in a stored crop: the 28×28 crop the app read, each pixel 0–255 (ink 255). */
export const CROP_BYTES = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE;

/** One correction a person made, as it is kept on the device and exported. */
export interface StoredCorrection {
  label: CorrectionLabel;
  /** The crop the app read, quantised to bytes (the worker re-derives its embedding from it, so a new model re-adapts). */
  crop: Uint8Array;
  /** When it was made (ms since the epoch): the latest per label are kept. */
  at: number;
  /**
   * Its prototypes as the classifier last computed them, so that a start need not embed every
   * crop again; named by the model they came from, so a new model re-derives them from the crop.
   * A cache: never exported, and a correction without them (or with unsound ones) loses nothing.
   */
  prototypes?: CorrectionPrototypes;
}

/** The export file's `format`: an import of anything else is refused. */
export const EXPORT_FORMAT = 'digitpad-handwriting';
/** The export file's version; a newer one is refused rather than half-read. */
export const EXPORT_VERSION = 1;
/** Largest import file read (bytes): a full export (220 corrections) is about 250 kB. */
export const MAX_IMPORT_BYTES = 2_000_000;
/** Most corrections an import may hold (the latest of each label are kept anyway). */
export const MAX_IMPORT_CORRECTIONS = 2_000;

/** Why an import was refused, in words for the person. */
export class ImportError extends Error {}

/** A crop as bytes, from the worker's [0, 1] floats. */
export function cropToBytes(crop: Float32Array): Uint8Array {
  if (crop.length !== CROP_BYTES) throw new Error(`A crop has ${CROP_BYTES} values, got ${crop.length}`);
  return Uint8Array.from(crop, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

/** A stored crop as the model reads it, in a fresh buffer (to transfer). */
export function cropToFloats(crop: Uint8Array): Float32Array {
  return Float32Array.from(crop, (v) => v / 255);
}

/** The corrections as the JSON text of an export file. */
export function exportCorrections(corrections: readonly StoredCorrection[], exportedAt = new Date()): string {
  return JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: exportedAt.toISOString(),
    corrections: corrections.map((c) => ({ label: c.label, at: c.at, crop: toBase64(c.crop) })),
  });
}

/**
 * Reads an export file's text, checking everything before anything is used: a file that is not
 * Digitpad's, from a newer version, too big, or with one bad entry is refused whole (ImportError).
 */
export function parseCorrections(text: string): StoredCorrection[] {
  if (text.length > MAX_IMPORT_BYTES) throw new ImportError('This file is too big to be a Digitpad handwriting export.');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportError('This file is not a Digitpad handwriting export (it is not JSON).');
  }
  if (!isRecord(data) || data.format !== EXPORT_FORMAT) throw new ImportError('This file is not a Digitpad handwriting export.');
  if (data.version !== EXPORT_VERSION) throw new ImportError(`This export is of version ${String(data.version)}; this Digitpad reads version ${EXPORT_VERSION}.`);
  const entries = data.corrections;
  if (!Array.isArray(entries)) throw new ImportError('This export has no list of corrections.');
  if (entries.length > MAX_IMPORT_CORRECTIONS) throw new ImportError(`This export holds ${entries.length} corrections; at most ${MAX_IMPORT_CORRECTIONS} are read.`);
  return entries.map((entry, i) => {
    const where = `Correction ${i + 1} of the file`;
    if (!isRecord(entry)) throw new ImportError(`${where} is not a correction.`);
    const { label, at, crop } = entry;
    if (!(label === 'none' || (typeof label === 'number' && Number.isInteger(label) && label >= 0 && label <= 9))) throw new ImportError(`${where} has no valid label (0–9 or "none").`);
    if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) throw new ImportError(`${where} has no valid time.`);
    const bytes = typeof crop === 'string' ? fromBase64(crop) : undefined;
    if (!bytes || bytes.length !== CROP_BYTES) throw new ImportError(`${where} has no valid 28×28 image.`);
    return { label, at, crop: bytes };
  });
}

/** Those of `added` not already in `kept` (the same label and crop), each once. */
export function newCorrections(kept: readonly StoredCorrection[], added: readonly StoredCorrection[]): StoredCorrection[] {
  const seen = new Set(kept.map(correctionKey));
  return added.filter((c) => {
    const key = correctionKey(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function correctionKey(c: StoredCorrection): string {
  return `${c.label}:${toBase64(c.crop)}`;
}

/**
 * Those kept and those added, as one bounded list: oldest first, the same correction (label and
 * crop) once, the latest `perLabel` of each label.
 */
export function mergeCorrections(kept: readonly StoredCorrection[], added: readonly StoredCorrection[], perLabel?: number): StoredCorrection[] {
  const seen = new Set<string>();
  const unique: StoredCorrection[] = [];
  for (const c of [...kept, ...added].sort((a, b) => a.at - b.at)) {
    const key = correctionKey(c);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(c);
  }
  return keepLatestPerLabel(unique, (c) => String(c.label), perLabel);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  if (text.length > 4 * CROP_BYTES) return undefined;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
