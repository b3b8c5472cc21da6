import * as Comlink from 'comlink';
import { fetchModelFiles, fetchReplayFile } from '../inference/fetch-model-files';
import { REPLAY_FILE } from '../inference/replay-guard';
import type { DigitClassifier, LearnResult } from '../inference/classifier';
import type { ClassifierApi, ClassifierConnection, LearnAnswer } from './contract';
import { crashLater, TEST_CRASH_MESSAGE } from './crash-later';
import { answerBuffers } from './transfer';

// This entry is kept small and tfjs (~900 kB) is a chunk of its own: the entry answers `init` at
// once, so the model's files download while tfjs downloads, compiles and starts its backend.
const scriptMs = performance.now();
const engine = import('./classifier-engine');
engine.catch(() => undefined); // init reports it.

type Loaded = Awaited<ReturnType<typeof import('./classifier-engine').loadClassifier>>;
let loaded: Promise<Loaded> | undefined;
let modelFilesMs = 0;

/** The loaded model; throws before init. */
function started(): Promise<Loaded> {
  if (!loaded) throw new Error('The classifier is not started');
  return loaded;
}

const api: ClassifierApi = {
  async init({ modelUrl }) {
    if (!loaded) {
      const modelFiles = fetchModelFiles(modelUrl);
      modelFiles.then(() => (modelFilesMs = performance.now()), () => undefined);
      const replayFile = fetchReplayFile(modelUrl, REPLAY_FILE);
      replayFile.catch(() => undefined); // loadClassifier goes on without it.
      const loading = engine.then(({ loadClassifier }) => loadClassifier(modelFiles, replayFile));
      loaded = loading;
      loading.then(({ classifier }) => readReplayWhenIdle(classifier), () => undefined);
      loading.catch(() => {
        // A failed load may be retried by a later init.
        if (loaded === loading) loaded = undefined;
      });
    }
    const { backend, backendMs } = await loaded;
    return { backend, createdAt: performance.timeOrigin, scriptMs, tfjsBackendMs: backendMs, modelFilesMs, modelMs: performance.now() };
  },

  async classify(crops) {
    return (await started()).classifier.predict(crops);
  },

  async learnCorrections(corrections) {
    const { classifier } = await started();
    const begun = performance.now();
    return answer(classifier.addCorrections(corrections), performance.now() - begun);
  },

  async setCorrections(corrections) {
    const { classifier } = await started();
    const begun = performance.now();
    return answer(classifier.setCorrections(corrections), performance.now() - begun);
  },

  async memory() {
    return engine.then(({ tfjsMemory }) => tfjsMemory(), () => ({ numTensors: 0, heapBytes: 0 }));
  },

  async crashForTest() {
    crashLater(TEST_CRASH_MESSAGE);
  },
};
/** Start-up's first readings come before the replay set is read ahead. */
const REPLAY_AHEAD_AFTER_MS = 1000;
/** Replay crops per slice: ~10 ms on wasm, so a reading that comes meanwhile waits little. */
const REPLAY_SLICE = 20;

/** Reads the replay set in slices between other messages, so the first correction need not read it. */
function readReplayWhenIdle(classifier: DigitClassifier): void {
  const slice = () => {
    if (classifier.readReplayAhead(REPLAY_SLICE)) setTimeout(slice, 0);
  };
  setTimeout(slice, REPLAY_AHEAD_AFTER_MS);
}

/** A learning result as the recogniser gets it: the report, and the computed prototypes' buffers transferred. */
function answer({ kept, refused, reused, computed }: LearnResult, learnMs: number): LearnAnswer {
  const result: LearnAnswer = { report: { kept, learnMs, reused, ...(refused === undefined ? {} : { refused }) }, computed };
  return Comlink.transfer(result, answerBuffers(result));
}

// The page posts the port once; the recogniser calls this API on the port's other end.
self.addEventListener(
  'message',
  (event: MessageEvent<ClassifierConnection>) => Comlink.expose(api, event.data.port),
  { once: true },
);
