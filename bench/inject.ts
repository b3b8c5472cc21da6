import * as Comlink from 'comlink';
import { renderInkImage } from '../src/canvas/render-ink-image';
import type { CorrectionLabel } from '../src/inference/personal-prototypes';
import { openCorrectionStore } from '../src/ui/corrections-store';
import { loadNaive, readNaive, type NaiveReady, type NaiveReading } from './naive';
import type { ImageProfile, ProfileApi } from './profile.worker';

/** A stored correction as it crosses from Node to the page and back (a Uint8Array does not survive the trip). */
export interface PlainCorrection {
  label: CorrectionLabel;
  at: number;
  /** 784 bytes, as the app stores them. */
  crop: number[];
}

/** What the bench script calls in the app's page once it has injected this module. */
export interface BenchPageApi {
  /** The app's own correction store (src/ui/corrections-store.ts), so stored corrections are exactly the app's. */
  corrections: {
    /** Makes `corrections` what the app keeps; resolves with what it kept before. */
    replace(corrections: PlainCorrection[]): Promise<PlainCorrection[]>;
  };
  naive: {
    load(modelUrl: string): Promise<NaiveReady>;
    read(canvas: HTMLCanvasElement): NaiveReading;
  };
  profiler: {
    init(modelUrl: string): Promise<void>;
    /** Rasterises strokes (pad CSS px) as the pad does and profiles the worker's work on them. */
    profile(strokes: number[][][], width: number, height: number, penWidth: number, repeats: number): Promise<ImageProfile[]>;
    /** Ends the profiling worker. */
    stop(): void;
  };
}

let worker: Worker | undefined;
let profiler: Comlink.Remote<ProfileApi> | undefined;

const bench: BenchPageApi = {
  corrections: {
    async replace(corrections) {
      const store = await openCorrectionStore();
      const before = await store.load();
      await store.save(corrections.map((c) => ({ label: c.label, at: c.at, crop: Uint8Array.from(c.crop) })));
      return before.map((c) => ({ label: c.label, at: c.at, crop: [...c.crop] }));
    },
  },
  naive: { load: loadNaive, read: readNaive },
  profiler: {
    async init(modelUrl) {
      worker = new Worker(new URL('./profile.worker.ts', import.meta.url), { type: 'module', name: 'bench-profile' });
      profiler = Comlink.wrap<ProfileApi>(worker);
      await profiler.init(modelUrl);
    },
    async profile(strokes, width, height, penWidth, repeats) {
      if (!profiler) throw new Error('profiler: init first');
      const points = strokes.map((stroke) => stroke.map(([x, y], i) => ({ x, y, t: i })));
      const image = renderInkImage(points, width, height, penWidth);
      return profiler.profile(Comlink.transfer(image, [image.data.buffer as ArrayBuffer]), repeats);
    },
    stop() {
      worker?.terminate();
      worker = undefined;
      profiler = undefined;
    },
  },
};

(globalThis as { __digitpadBench?: BenchPageApi }).__digitpadBench = bench;
