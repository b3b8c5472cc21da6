import { fileURLToPath } from 'node:url';
import { A_MARK } from '../../src/inference/model';
import { readJsonLines, type PenDigit } from './pendigits';

/** The repository's copies of the UNIPEN sets (data/README.md: source and licence). */
export const UNIPEN_DIGITS_PATH = fileURLToPath(new URL('../../data/unipen-train-digits.jsonl.gz', import.meta.url));
export const UNIPEN_NONDIGITS_PATH = fileURLToPath(new URL('../../data/unipen-train-nondigits.jsonl.gz', import.meta.url));

/**
 * One UNIPEN character as the project uses it: strokes in millimetres (y down), `label` 0–9 for
 * digits and {@link A_MARK} for letters and symbols, with who wrote it on which device.
 */
export interface UnipenSample extends PenDigit {
  contributor: string;
  /** The character written, for letters and symbols. */
  char?: string;
  /** Two writer-independent classifiers disagreed with the source's label (left out of evaluation). */
  suspectLabel: boolean;
}

interface UnipenRow {
  id: string;
  label: number | '?';
  char?: string;
  writer: string;
  contributor: string;
  suspect_label?: boolean;
  strokes: number[][][];
}

/**
 * The source (institution and device) held out as a whole: none of its writers trains or tunes
 * anything, so its figure says how the app reads a device it has never seen. IBM's 22 writers
 * give 922 digits and 2,647 letters and symbols.
 */
export const HELD_OUT_CONTRIBUTOR = 'ibm';

/** FNV-1a of a string: a split that does not depend on file order or on which file a writer is in. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Where a UNIPEN writer's samples go: training, held-out writers, or the held-out source. */
export type WriterSplit = 'train' | 'held-out-writer' | 'held-out-source';

/** A fifth of the writers of every other source (by a hash of their name) plus every writer of the held-out source. */
export function unipenSplit(sample: { writer: string; contributor: string }): WriterSplit {
  if (sample.contributor === HELD_OUT_CONTRIBUTOR) return 'held-out-source';
  return fnv1a(sample.writer) % 5 === 0 ? 'held-out-writer' : 'train';
}

const cache = new Map<string, UnipenSample[]>();

/** Loads (once per path) a UNIPEN set: digits or letters and symbols. */
export function loadUnipen(path: string): UnipenSample[] {
  let samples = cache.get(path);
  if (!samples) {
    samples = readJsonLines<UnipenRow>(path).map((row) => ({
      id: row.id,
      label: row.label === '?' ? A_MARK : row.label,
      writer: row.writer,
      contributor: row.contributor,
      ...(row.char !== undefined ? { char: row.char } : {}),
      suspectLabel: row.suspect_label === true,
      strokes: row.strokes,
    }));
    cache.set(path, samples);
  }
  return samples;
}
