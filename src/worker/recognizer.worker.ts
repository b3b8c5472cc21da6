import * as Comlink from 'comlink';
import type { RecognizerApi } from './contract';
import { loadOpenCv } from './load-opencv';

// This entry is kept small so that OpenCV, the longest download and start-up, begins as soon as
// the worker exists; the engine (tfjs, the model, the pipeline) downloads and compiles meanwhile
// as a chunk of its own.
const scriptMs = performance.now();
let opencvScriptMs = 0;
const opencv = loadOpenCv(() => (opencvScriptMs = performance.now()));
opencv.catch(() => undefined); // init reports a failure; until it runs, nobody is waiting.
const engine = import('./engine').then(({ createRecognizerApi }) =>
  createRecognizerApi({ opencv, scriptMs, opencvScriptMs: () => opencvScriptMs }),
);
engine.catch(() => undefined); // Likewise: a chunk that fails to load is init's error to report.

// Exposed at once, so no message from the page is missed while the engine loads.
const api: RecognizerApi = {
  init: async (config) => (await engine).init(config),
  recognize: async (image) => (await engine).recognize(image),
  stats: async () => (await engine).stats(),
  crashForTest: async (when) => (await engine).crashForTest(when),
};
Comlink.expose(api);
