import * as Comlink from 'comlink';
import type { ClassifierApi } from './contract';
import { crashLater } from './crash-later';
import { createRecognizerApi } from './engine';
import { loadOpenCv } from './load-opencv';

// OpenCV (this thread) and tfjs with the model (the classifier worker's thread) are the two long
// start-ups; each has a thread of its own, so on two cores neither waits for the other's JS.
const scriptMs = performance.now();
let opencvScriptMs = 0;
const opencv = loadOpenCv(() => (opencvScriptMs = performance.now()));
opencv.catch(() => undefined); // init reports a failure; until it runs, nobody is waiting.

const classifierWorker = new Worker(new URL('./classifier.worker.ts', import.meta.url), { type: 'module', name: 'classifier' });
// The page watches only this worker: a crash of the classifier must end this one too, so that
// the page's recovery (a fresh recogniser, which starts a fresh classifier) takes over.
classifierWorker.addEventListener('error', (event) => {
  event.preventDefault(); // Handled: reported once, as this worker's own crash.
  crashLater(`The classifier crashed: ${event.message || 'no message'}`);
});

Comlink.expose(
  createRecognizerApi({
    opencv,
    scriptMs,
    opencvScriptMs: () => opencvScriptMs,
    classifier: Comlink.wrap<ClassifierApi>(classifierWorker),
  }),
);
