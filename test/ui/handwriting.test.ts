import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabelledCrop } from '../../src/inference/classifier';
import type { StoredCorrection } from '../../src/ui/corrections-file';
import type { CorrectionStore } from '../../src/ui/corrections-store';
import { Handwriting, type HandwritingElements } from '../../src/ui/handwriting';
import type { RecognizerBridge } from '../../src/ui/recognizer-bridge';
import type { LearnAnswer } from '../../src/worker/contract';

/** What the fake store holds, and every list it was asked to save. */
const disk: { rows: StoredCorrection[]; saves: StoredCorrection[][]; refuseWithPrototypes: boolean } = { rows: [], saves: [], refuseWithPrototypes: false };

vi.mock('../../src/ui/corrections-store', () => ({
  StorageUnavailableError: class extends Error {},
  async openCorrectionStore(): Promise<CorrectionStore> {
    return {
      load: async () => disk.rows,
      async save(corrections) {
        disk.saves.push([...corrections]);
        // A store too full for the prototypes (the corrections alone fit).
        if (disk.refuseWithPrototypes && corrections.some((c) => c.prototypes)) throw new Error('QuotaExceededError');
        disk.rows = [...corrections];
      },
    };
  },
}));

/** The panel's elements, as far as Handwriting touches them. */
function elements(): HandwritingElements {
  // Each element keeps its listeners, so a test can fire them as the browser would.
  const element = () => {
    const listeners = new Map<string, () => void>();
    return { textContent: '', disabled: false, value: '', files: null as File[] | null, listeners, addEventListener: (type: string, listener: () => void) => listeners.set(type, listener), showModal() {}, classList: { toggle() {} } };
  };
  return { open: element(), dialog: element(), count: element(), status: element(), exportButton: element(), importInput: element(), forgetButton: element() } as unknown as HandwritingElements;
}

const crop = (value: number) => new Uint8Array(784).fill(value);
const prototypes = (model: string, value: number) => ({ model, embeddings: new Float32Array(14 * 128).fill(value) });

/** A bridge whose worker computes prototypes (value 7) for every correction sent without any. */
function fakeBridge() {
  const sent: LabelledCrop[][] = [];
  const answer = (list: LabelledCrop[]): LearnAnswer => {
    sent.push(list);
    const computed = list.flatMap((c, index) => (c.prototypes ? [] : [{ index, prototypes: prototypes('m1', 7) }]));
    return { report: { kept: list.length, learnMs: 1, reused: list.length - computed.length }, computed };
  };
  const bridge = { setCorrections: async (list: LabelledCrop[]) => answer(list), learnCorrections: async (list: LabelledCrop[]) => answer(list) };
  return { bridge: bridge as unknown as RecognizerBridge, sent };
}

describe('Handwriting keeps the prototypes the worker computed with the corrections', () => {
  beforeEach(() => {
    disk.rows = [
      { label: 1, at: 1, crop: crop(1), prototypes: prototypes('m1', 0.5) },
      { label: 2, at: 2, crop: crop(2) },
    ];
    disk.saves = [];
    disk.refuseWithPrototypes = false;
  });

  it('sends the kept prototypes (copies) and keeps those computed at the start', async () => {
    const { bridge, sent } = fakeBridge();
    const handwriting = new Handwriting(bridge, elements());
    const report = await handwriting.sendToWorker();
    expect(report).toEqual({ kept: 2, learnMs: 1, reused: 1 });
    const [list] = sent;
    expect(list.map((c) => c.prototypes?.model)).toEqual(['m1', undefined]);
    // A copy, so that transferring it leaves the page's own in place.
    expect(list[0].prototypes!.embeddings).not.toBe(disk.rows[0].prototypes!.embeddings);
    expect(list[0].prototypes!.embeddings).toEqual(disk.rows[0].prototypes!.embeddings);
    await vi.waitFor(() => expect(disk.saves).toHaveLength(1));
    expect(disk.rows.map((c) => [c.label, c.prototypes?.embeddings[0]])).toEqual([
      [1, 0.5],
      [2, 7],
    ]);
    // Next start: nothing left to compute, nothing written.
    await handwriting.sendToWorker();
    expect(sent[1].every((c) => c.prototypes)).toBe(true);
    expect(disk.saves).toHaveLength(1);
  });

  it('keeps a new correction\'s prototypes before saying it is learned', async () => {
    const { bridge } = fakeBridge();
    const handwriting = new Handwriting(bridge, elements());
    await handwriting.loaded;
    const outcome = await handwriting.correct(new Float32Array(784).fill(1), 3);
    expect(outcome).toMatchObject({ learned: true, kept: true });
    expect(disk.rows).toHaveLength(3);
    expect(disk.rows.find((c) => c.label === 3)?.prototypes?.model).toBe('m1');
  });

  it('keeps a correction without prototypes when the store has no room for them, and says nothing of it', async () => {
    disk.refuseWithPrototypes = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { bridge } = fakeBridge();
    const ui = elements();
    const handwriting = new Handwriting(bridge, ui);
    await handwriting.loaded;
    const outcome = await handwriting.correct(new Float32Array(784).fill(1), 3);
    expect(outcome).toMatchObject({ learned: true, kept: true });
    expect(disk.rows.map((c) => c.label)).toEqual([1, 2, 3]);
    expect(disk.rows.every((c) => c.prototypes === undefined)).toBe(true);
    expect(ui.status.textContent).toBe('');
    expect(handwriting.count).toBe(3);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('the next start computes them again'), expect.anything());
    warn.mockRestore();
  });

  /** A file the page would import, with `rows` as its corrections. */
  const exportFile = (rows: { label: number; at: number; value: number }[]) =>
    ({ size: 1000, text: async () => JSON.stringify({ format: 'digitpad-handwriting', version: 1, corrections: rows.map(({ label, at, value }) => ({ label, at, crop: btoa(String.fromCharCode(...crop(value))) })) }) }) as unknown as File;

  /** Picks `file` in the import input, as a person would. */
  const chooseFile = (ui: HandwritingElements, file: File) => {
    const input = ui.importInput as unknown as { files: File[]; listeners: Map<string, () => void> };
    input.files = [file];
    input.listeners.get('change')!();
  };

  it('imports only what the replay guard lets it learn, and says how many it left out', async () => {
    const { bridge, sent } = fakeBridge();
    // The guard refuses any list that holds the crop of value 9.
    const learnCalls: number[][] = [];
    (bridge as unknown as { learnCorrections: (list: LabelledCrop[]) => Promise<LearnAnswer> }).learnCorrections = async (list) => {
      learnCalls.push(list.map((c) => Math.round(c.crop[0] * 255)));
      const refused = list.some((c) => Math.round(c.crop[0] * 255) === 9);
      return { report: { kept: list.length, learnMs: 1, reused: 0, ...(refused ? { refused: 'it would read a 4 of the replay set as 9' } : {}) }, computed: [] };
    };
    const ui = elements();
    const handwriting = new Handwriting(bridge, ui);
    await handwriting.loaded;
    // One already held (label 1, value 1), two new, one of them refused.
    chooseFile(ui, exportFile([{ label: 1, at: 1, value: 1 }, { label: 4, at: 5, value: 9 }, { label: 5, at: 6, value: 5 }]));
    await vi.waitFor(() => expect(ui.status.textContent).not.toBe(''));
    expect(learnCalls).toEqual([[9, 5], [9], [5]]); // both at once (refused), then each alone
    expect(disk.rows.map((c) => c.label)).toEqual([1, 2, 5]);
    expect(handwriting.count).toBe(3);
    expect(ui.status.textContent).toBe('Imported 3 corrections (1 new; 1 correction left out: learning it would change how the app reads digits nobody corrected).');
    // The worker gets the whole list again, the refused one not in it.
    expect(sent.at(-1)!.map((c) => c.label)).toEqual([1, 2, 5]);
  });

  it('changes nothing when the import cannot be checked because the reader stopped', async () => {
    const { bridge } = fakeBridge();
    const { RecognizerStoppedError } = await import('../../src/ui/recognizer-bridge');
    (bridge as unknown as { learnCorrections: () => Promise<LearnAnswer> }).learnCorrections = async () => {
      throw new RecognizerStoppedError('The recogniser stopped.');
    };
    const ui = elements();
    const handwriting = new Handwriting(bridge, ui);
    await handwriting.loaded;
    chooseFile(ui, exportFile([{ label: 5, at: 6, value: 5 }]));
    await vi.waitFor(() => expect(ui.status.textContent).not.toBe(''));
    expect(disk.rows.map((c) => c.label)).toEqual([1, 2]);
    expect(disk.saves).toHaveLength(0);
    expect(ui.status.textContent).toBe('The corrections could not be checked (the reader is restarting). Nothing was changed: try the import again.');
  });
});
