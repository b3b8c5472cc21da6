import { describe, expect, it } from 'vitest';
import {
  CROP_BYTES,
  cropToBytes,
  cropToFloats,
  exportCorrections,
  ImportError,
  MAX_IMPORT_CORRECTIONS,
  mergeCorrections,
  parseCorrections,
  type StoredCorrection,
} from '../../src/ui/corrections-file';
import { KEPT_PER_LABEL } from '../../src/inference/personal-prototypes';

/** A crop whose pixels are all `value`, so crops are told apart by value. */
function crop(value: number): Uint8Array {
  return new Uint8Array(CROP_BYTES).fill(value);
}

const corrections: StoredCorrection[] = [
  { label: 7, crop: crop(10), at: 1000 },
  { label: 'none', crop: crop(20), at: 2000 },
];

describe('export and import', () => {
  it('round-trips every correction exactly', () => {
    expect(parseCorrections(exportCorrections(corrections))).toEqual(corrections);
  });

  const valid = JSON.parse(exportCorrections(corrections));
  const cases: [string, string][] = [
    ['not JSON', 'hello'],
    ['JSON of something else', JSON.stringify({ name: 'x' })],
    ['an array', '[]'],
    ['a newer version', JSON.stringify({ ...valid, version: 2 })],
    ['no list', JSON.stringify({ ...valid, corrections: 'x' })],
    ['a label 10', JSON.stringify({ ...valid, corrections: [{ ...valid.corrections[0], label: 10 }] })],
    ['a label "7"', JSON.stringify({ ...valid, corrections: [{ ...valid.corrections[0], label: '7' }] })],
    ['a fractional label', JSON.stringify({ ...valid, corrections: [{ ...valid.corrections[0], label: 2.5 }] })],
    ['no time', JSON.stringify({ ...valid, corrections: [{ ...valid.corrections[0], at: 'now' }] })],
    ['a short image', JSON.stringify({ ...valid, corrections: [{ ...valid.corrections[0], crop: btoa('abc') }] })],
    ['an image that is not base64', JSON.stringify({ ...valid, corrections: [{ ...valid.corrections[0], crop: '!!!' }] })],
    ['a null entry', JSON.stringify({ ...valid, corrections: [null] })],
    ['too many corrections', JSON.stringify({ ...valid, corrections: Array(MAX_IMPORT_CORRECTIONS + 1).fill(valid.corrections[0]) })],
    ['a huge file', ' '.repeat(2_000_001)],
  ];
  it.each(cases)('refuses %s with a message for the person', (_, text) => {
    expect(() => parseCorrections(text)).toThrow(ImportError);
  });
});

describe('mergeCorrections (what the store keeps)', () => {
  it('adds new ones in time order and keeps the same correction once', () => {
    const later: StoredCorrection = { label: 3, crop: crop(30), at: 1500 };
    expect(mergeCorrections(corrections, [later, corrections[0]])).toEqual([corrections[0], later, corrections[1]]);
  });

  it(`keeps the latest ${KEPT_PER_LABEL} per label, however many come in`, () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ label: i % 2 === 0 ? 4 : ('none' as const), crop: crop(i), at: i }));
    const kept = mergeCorrections([], many);
    expect(kept).toHaveLength(2 * KEPT_PER_LABEL);
    expect(kept.filter((c) => c.label === 4).map((c) => c.at)).toEqual(many.filter((c) => c.label === 4).slice(-KEPT_PER_LABEL).map((c) => c.at));
  });
});

describe('crop bytes', () => {
  it('quantise [0, 1] to bytes and back within half a step, clamping out-of-range values', () => {
    const floats = Float32Array.from({ length: CROP_BYTES }, (_, i) => (i % 300) / 299);
    const back = cropToFloats(cropToBytes(floats));
    for (let i = 0; i < CROP_BYTES; i++) expect(Math.abs(back[i] - floats[i])).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    expect(cropToBytes(new Float32Array(CROP_BYTES).fill(2))[0]).toBe(255);
    expect(() => cropToBytes(new Float32Array(10))).toThrow();
  });
});
