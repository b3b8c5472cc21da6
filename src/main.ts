import { createDrawingPad } from './canvas/pad';
import { RecognizerBridge } from './ui/recognizer-bridge';
import { setBusy, setStatus, showEmpty, showError, showRecognition, type ResultElements } from './ui/result-view';
import { startPwa } from './ui/pwa';
import { exposeTestHooks } from './ui/test-hooks';
import type { Recognition } from './worker/contract';
import { markPadReady, markRecognizerReady, measureRead } from './ui/perf-marks';

/**
 * Pause after a pen-up before reading: none. The ink is read at every pen-up; a reading made stale
 * by a newer stroke is dropped, so the last one shown is always the whole ink's.
 */
const READ_DELAY_MS = 0;
/**
 * A reading shown this soon after a pen-up may still change (the first stroke of a 4 reads as 1):
 * it is shown at once, marked provisional, and settles when the pen has rested this long.
 */
const SETTLE_MS = 400;
/** Longest wait for the first paint before starting the recogniser anyway (rAF stops in hidden tabs). */
const WORKER_START_FALLBACK_MS = 300;

function byTestId<T extends HTMLElement>(id: string): T {
  const element = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`Missing element ${id}`);
  return element;
}

const view: ResultElements = {
  result: byTestId<HTMLOutputElement>('result'),
  status: byTestId('status'),
  digits: byTestId<HTMLOListElement>('digits'),
  boxes: document.querySelector<HTMLElement>('.boxes')!,
};
const padFrame = document.querySelector<HTMLElement>('.pad-frame')!;
const canvas = byTestId<HTMLCanvasElement>('pad');

let inkVersion = 0;
let penDown = false;
let readTimer: ReturnType<typeof setTimeout> | undefined;
let settleTimer: ReturnType<typeof setTimeout> | undefined;
/** When the pen last lifted (performance.now()). */
let lastPenUp = -Infinity;
let workerReady = false;
let loadFailed = false;

const bridge = new RecognizerBridge(new URL('model/model.json', document.baseURI).href, {
  onReady(ready) {
    markRecognizerReady(ready);
    workerReady = true;
    loadFailed = false;
    scheduleRead(0);
  },
  onError(message, failure) {
    workerReady = false;
    loadFailed = true;
    setBusy(view, false);
    const headline = failure === 'load' ? 'The number reader could not load.' : 'The number reader keeps stopping.';
    showError(view, headline, message, {
      label: 'Retry',
      run() {
        canvas.focus(); // The button is going away; keep keyboard focus in the app.
        setStatus(view, 'Loading the recogniser…');
        loadFailed = false;
        setBusy(view, true);
        void bridge.retry().catch(() => undefined);
      },
    });
  },
});
bridge.onRestart(() => scheduleRead(0));
const startRecognizer = () => void bridge.start().catch(() => undefined); // Errors reach the UI through onError.
// A page under the service worker gets every file from its cache: no download competes with the
// first paint, and the worker runs on its own thread, so it starts before the pad is even set up.
const startedEarly = navigator.serviceWorker?.controller != null;
if (startedEarly) startRecognizer();

const pad = createDrawingPad(canvas, {
  onStrokeStart() {
    penDown = true;
    inkVersion++;
    clearTimeout(readTimer);
    setBusy(view, true);
    padFrame.classList.add('has-ink');
  },
  onStrokeEnd() {
    penDown = false;
    inkVersion++;
    lastPenUp = performance.now();
    scheduleRead(READ_DELAY_MS);
  },
  onInkChange() {
    inkVersion++;
    padFrame.classList.toggle('has-ink', !pad.isEmpty());
    scheduleRead(0);
  },
  onLimit(message) {
    setStatus(view, message, true);
  },
});
markPadReady(canvas);

function scheduleRead(delayMs: number): void {
  clearTimeout(readTimer);
  setBusy(view, true);
  readTimer = setTimeout(() => void readInk(), delayMs);
}

async function readInk(): Promise<void> {
  const start = performance.now();
  const version = inkVersion;
  if (penDown) return;
  if (!workerReady) {
    // onReady reads the ink once the recogniser is there; after a failed load nothing is pending.
    if (loadFailed) setBusy(view, false);
    return;
  }
  if (pad.isEmpty()) {
    view.boxes.replaceChildren();
    showEmpty(view);
    setBusy(view, false);
    return;
  }
  try {
    const { image, origin } = pad.snapshot();
    const posted = performance.now();
    const recognition = await bridge.recognize(image);
    if (!recognition || version !== inkVersion || penDown) return; // Newer ink is on its way.
    const answered = performance.now();
    showRecognition(view, placeOnPad(recognition, origin));
    markProvisional(answered);
    setBusy(view, false);
    measureRead({ start, posted, answered, shown: performance.now() }, recognition.timings, recognition.digits.length, recognition.lattice);
  } catch (error) {
    if (version !== inkVersion) return;
    setBusy(view, false);
    setStatus(view, `Could not read the ink: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

/** Marks the reading just shown provisional while another stroke may still follow, and settles it after. */
function markProvisional(now: number): void {
  clearTimeout(settleTimer);
  const settlesIn = lastPenUp + SETTLE_MS - now;
  if (settlesIn <= 0) {
    view.result.removeAttribute('data-provisional');
    return;
  }
  view.result.setAttribute('data-provisional', '');
  settleTimer = setTimeout(() => view.result.removeAttribute('data-provisional'), settlesIn);
}

/** Boxes come back in the snapshot's pixels; the view draws them in the pad's. */
function placeOnPad(recognition: Recognition, origin: { x: number; y: number }): Recognition {
  if (origin.x === 0 && origin.y === 0) return recognition;
  const digits = recognition.digits.map((digit) => ({
    ...digit,
    box: { ...digit.box, x: digit.box.x + origin.x, y: digit.box.y + origin.y },
  }));
  return { ...recognition, digits };
}

byTestId('clear').addEventListener('click', () => pad.clear());
byTestId('undo').addEventListener('click', () => pad.undo());
byTestId('recognize').addEventListener('click', () => scheduleRead(0));
document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
    event.preventDefault();
    pad.undo();
  } else if (event.key === 'Escape') {
    pad.clear();
  }
});

/**
 * Runs `task` just after the page's first paint (a frame, then a task behind it), so the worker's
 * downloads never compete with it; a page that paints no frames (a background tab) runs it anyway.
 */
function afterFirstPaint(task: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    task();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, WORKER_START_FALLBACK_MS);
}

setBusy(view, true);
if (!startedEarly) afterFirstPaint(startRecognizer);
exposeTestHooks(bridge);
startPwa({ toast: byTestId('toast'), install: byTestId<HTMLButtonElement>('install') });
