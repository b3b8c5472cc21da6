import * as Comlink from 'comlink';
import { createRecognizerApi } from './engine';
import { loadOpenCv } from './load-opencv';

// OpenCV (this thread) and tfjs with the model (the classifier worker, which the page starts
// beside this one and connects to it in init) are the two long start-ups; each has a thread of
// its own, so on two cores neither waits for the other's JS.
const scriptMs = performance.now();
let opencvScriptMs = 0;
const opencv = loadOpenCv(() => (opencvScriptMs = performance.now()));
opencv.catch(() => undefined); // init reports a failure; until it runs, nobody is waiting.

Comlink.expose(
  createRecognizerApi({
    opencv,
    scriptMs,
    opencvScriptMs: () => opencvScriptMs,
  }),
);
