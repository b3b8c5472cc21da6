import type { LabelledCrop } from '../inference/classifier';
import type { CorrectionLabel } from '../inference/personal-prototypes';
import type { LearnAnswer, LearnReport } from '../worker/contract';
import { cropToBytes, cropToFloats, exportCorrections, ImportError, MAX_IMPORT_BYTES, mergeCorrections, newCorrections, parseCorrections, type StoredCorrection } from './corrections-file';
import { openCorrectionStore, type CorrectionStore } from './corrections-store';
import { RecognizerStoppedError, type RecognizerBridge } from './recognizer-bridge';

/** The "Your handwriting" panel's elements. */
export interface HandwritingElements {
  open: HTMLButtonElement;
  dialog: HTMLDialogElement;
  count: HTMLElement;
  status: HTMLElement;
  exportButton: HTMLButtonElement;
  importInput: HTMLInputElement;
  forgetButton: HTMLButtonElement;
}

/** What became of one correction. */
export interface CorrectionOutcome {
  /** The worker learned it (false: it could not be; the reason is `problem`). */
  learned: boolean;
  /** It is kept on the device (false: for this session only). */
  kept: boolean;
  report?: LearnReport;
  problem?: string;
}

/** Message shown while corrections cannot be kept on this device. */
const SESSION_ONLY = 'Corrections apply until this page is closed: this browser does not let Digitpad keep them on this device (private mode or storage turned off).';

/**
 * A person's corrections: held here for the session, kept in IndexedDB when the browser allows,
 * and given to the recogniser at every start (so a restarted worker, or a new model, re-derives
 * what it learned from the crops). Owns the "Your handwriting" panel.
 */
export class Handwriting {
  private corrections: StoredCorrection[] = [];
  private store: CorrectionStore | undefined;
  private storageProblem: string | undefined;
  /** Resolves once what was kept is loaded (or found unavailable). */
  readonly loaded: Promise<void>;

  constructor(
    private readonly bridge: RecognizerBridge,
    private readonly ui: HandwritingElements,
  ) {
    this.loaded = this.load();
    ui.open.addEventListener('click', () => ui.dialog.showModal());
    ui.exportButton.addEventListener('click', () => this.download());
    ui.importInput.addEventListener('change', () => {
      const file = ui.importInput.files?.[0];
      ui.importInput.value = ''; // The same file may be chosen again.
      if (file) void this.importFile(file);
    });
    ui.forgetButton.addEventListener('click', () => void this.forget());
    this.render();
  }

  /** How many corrections are held. */
  get count(): number {
    return this.corrections.length;
  }

  /**
   * Gives the recogniser every correction held (at start-up and after a restart), with the
   * prototypes kept from an earlier start; those it had to compute are kept for the next start.
   */
  async sendToWorker(): Promise<LearnReport> {
    await this.loaded;
    const sent = this.corrections;
    const { report, computed } = await this.bridge.setCorrections(sent.map(toWorker));
    void this.keepPrototypes(sent, computed); // Reading starts now; the write goes on beside it.
    return report;
  }

  /** Keeps and learns a correction of a crop the app read. */
  async correct(crop: Float32Array, label: CorrectionLabel): Promise<CorrectionOutcome> {
    await this.loaded;
    const correction: StoredCorrection = { label, crop: cropToBytes(crop), at: Date.now() };
    this.corrections = mergeCorrections(this.corrections, [correction]);
    this.render();
    const kept = await this.persist();
    try {
      const { report, computed } = await this.bridge.learnCorrections([toWorker(correction)]);
      if (report.refused !== undefined) {
        // Not kept either: sent again at the next start, it would be learned unchecked.
        this.corrections = this.corrections.filter((c) => c !== correction);
        this.render();
        await this.persist();
        return { learned: false, kept: false, report, problem: `Could not learn this correction: ${report.refused}` };
      }
      // Kept before the outcome is told, so a reload right after finds them.
      await this.keepPrototypes([correction], computed);
      return { learned: true, kept, report };
    } catch (error) {
      // A worker that stopped gets every correction again when it restarts.
      if (error instanceof RecognizerStoppedError) return { learned: false, kept, problem: 'The reader is restarting; it will learn this when it is back.' };
      return { learned: false, kept, problem: `It could not be learned: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private async load(): Promise<void> {
    try {
      this.store = await openCorrectionStore();
      this.corrections = mergeCorrections(await this.store.load(), []);
    } catch (error) {
      this.store = undefined;
      this.storageProblem = SESSION_ONLY;
      console.warn('Corrections are kept for this session only:', error);
    }
    this.render();
  }

  /**
   * Puts the prototypes the worker computed with the corrections `sent` (by index) that are still
   * held, and writes them; a failure to write only costs the next start the time to compute them.
   */
  private async keepPrototypes(sent: readonly StoredCorrection[], computed: LearnAnswer['computed']): Promise<void> {
    const held = new Set(this.corrections);
    let changed = false;
    for (const { index, prototypes } of computed) {
      const correction = sent[index];
      if (!correction || !held.has(correction)) continue; // Dropped or forgotten meanwhile.
      // In place: a correction is known by its object (a refused one is taken out by it).
      correction.prototypes = prototypes;
      changed = true;
    }
    if (changed) await this.persist(true);
  }

  /**
   * Writes what is held; false (and a message) when it could not be kept. The prototypes are a
   * cache: when the write fails with them it is tried without, and when only they changed
   * (`onlyPrototypes`) a failure is not the person's news.
   */
  private async persist(onlyPrototypes = false): Promise<boolean> {
    if (!this.store) return false;
    try {
      await this.store.save(this.corrections);
      return true;
    } catch (error) {
      if (onlyPrototypes) {
        console.warn('The corrections\' prototypes could not be kept; the next start computes them again:', error);
        return false;
      }
      if (this.corrections.some((c) => c.prototypes)) {
        const crops = this.corrections.map(({ label, at, crop }) => ({ label, at, crop }));
        if (await this.store.save(crops).then(() => true, () => false)) return true;
      }
      this.storageProblem = `The latest corrections could not be saved on this device (${error instanceof Error ? error.message : String(error)}); they apply until this page is closed.`;
      this.render();
      return false;
    }
  }

  private download(): void {
    const blob = new Blob([exportCorrections(this.corrections)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `digitpad-handwriting-${new Date().toISOString().slice(0, 10)}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
    this.say(`Exported ${plural(this.corrections.length)}.`);
  }

  private async importFile(file: File): Promise<void> {
    await this.loaded;
    let imported: StoredCorrection[];
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new ImportError('This file is too big to be a Digitpad handwriting export.');
      imported = parseCorrections(await file.text());
    } catch (error) {
      // Nothing kept changes.
      this.say(error instanceof ImportError ? `${error.message} Nothing was changed.` : `The file could not be read (${String(error)}). Nothing was changed.`, true);
      return;
    }
    const fresh = newCorrections(this.corrections, imported);
    let learned: StoredCorrection[];
    try {
      learned = await this.checkImported(fresh);
    } catch (error) {
      const why = error instanceof RecognizerStoppedError ? 'the reader is restarting' : error instanceof Error ? error.message : String(error);
      this.say(`The corrections could not be checked (${why}). Nothing was changed: try the import again.`, true);
      return;
    }
    const refused = fresh.length - learned.length;
    const before = this.corrections.length;
    this.corrections = mergeCorrections(this.corrections, learned);
    const kept = await this.persist();
    this.render();
    await this.relearn();
    const added = this.corrections.length - before;
    const refusedText = refused > 0 ? `; ${plural(refused)} left out: learning ${refused === 1 ? 'it' : 'them'} would change how the app reads digits nobody corrected` : '';
    this.say(`Imported ${plural(imported.length)} (${added} new${refusedText})${kept ? '' : ', for this session only'}.`, refused > 0);
  }

  /**
   * Of the corrections an import adds, those the worker's replay guard lets it learn, as it checks
   * each correction made on the page: all at once, or, when that is refused, one by one in order.
   * The worker holds them afterwards; the caller sends it the whole list again.
   */
  private async checkImported(fresh: readonly StoredCorrection[]): Promise<StoredCorrection[]> {
    if (fresh.length === 0) return [];
    const all = await this.bridge.learnCorrections(fresh.map(toWorker));
    if (all.report.refused === undefined) return [...fresh];
    const learned: StoredCorrection[] = [];
    for (const correction of fresh) {
      const one = await this.bridge.learnCorrections([toWorker(correction)]);
      if (one.report.refused === undefined) learned.push(correction);
    }
    return learned;
  }

  private async forget(): Promise<void> {
    await this.loaded;
    this.corrections = [];
    const kept = await this.persist();
    this.render();
    await this.relearn();
    this.say(kept || !this.store ? 'Every correction is forgotten.' : 'Forgotten for now, but the device still holds them: try again.', !kept && Boolean(this.store));
  }

  /** The worker gets the whole list again; a stopped one gets it at its restart. */
  private async relearn(): Promise<void> {
    try {
      await this.sendToWorker();
    } catch (error) {
      if (!(error instanceof RecognizerStoppedError)) console.warn('Corrections not given to the reader:', error);
    }
  }

  private render(): void {
    const n = this.corrections.length;
    this.ui.count.textContent = n === 0 ? 'No corrections kept.' : `${plural(n)} kept${this.store ? ' on this device' : ' for this session'}.`;
    this.ui.open.textContent = n === 0 ? 'Your handwriting' : `Your handwriting (${n})`;
    this.ui.exportButton.disabled = n === 0;
    if (this.storageProblem) this.say(this.storageProblem, true);
  }

  private say(message: string, isError = false): void {
    this.ui.status.textContent = message;
    this.ui.status.classList.toggle('error', isError);
  }
}

/** A correction as the worker takes it; copies, as their buffers are transferred and the page keeps its own. */
function toWorker(c: StoredCorrection): LabelledCrop {
  const crop = cropToFloats(c.crop);
  return c.prototypes ? { crop, label: c.label, prototypes: { model: c.prototypes.model, embeddings: c.prototypes.embeddings.slice() } } : { crop, label: c.label };
}

function plural(n: number): string {
  return n === 1 ? '1 correction' : `${n} corrections`;
}
