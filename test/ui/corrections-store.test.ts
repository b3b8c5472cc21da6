import { describe, expect, it } from 'vitest';
import type { StoredCorrection } from '../../src/ui/corrections-file';
import { correctionFromRow } from '../../src/ui/corrections-store';

const crop = new Uint8Array(784).fill(9);

describe('correctionFromRow', () => {
  it('keeps sound-looking prototypes and nothing else of a row', () => {
    const embeddings = new Float32Array(14 * 128);
    const row = { label: 4, at: 5, crop, prototypes: { model: 'm1', embeddings }, extra: 'x' } as StoredCorrection;
    expect(correctionFromRow(row)).toEqual({ label: 4, at: 5, crop, prototypes: { model: 'm1', embeddings } });
  });

  it('keeps the correction and leaves out prototypes that are damaged or missing', () => {
    for (const prototypes of [undefined, null, 'text', { model: 'm1' }, { model: 3, embeddings: new Float32Array(4) }, { model: 'm1', embeddings: [0.5, 0.5] }]) {
      const row = { label: 'none', at: 7, crop, prototypes } as unknown as StoredCorrection;
      expect(correctionFromRow(row)).toEqual({ label: 'none', at: 7, crop });
    }
  });
});
