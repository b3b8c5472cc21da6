import { createDrawingPad } from './canvas/pad';
import { RecognizerBridge, RecognizerStoppedError } from './ui/recognizer-bridge';
import { correctDigit, digitCard, setBusy, setStatus, showEmpty, showError, showRecognition, type ResultElements, type ShownRecognition } from './ui/result-view';
import { createCorrectionMenu } from './ui/correction-menu';
import { Handwriting } from './ui/handwriting';
import type { CorrectionLabel } from './inference/personal-prototypes';
import { bitmapPixels, decodeImage, ImageReadError } from './ui/decode-image';
import { drawPhoto, hidePhoto, placeBox, type PhotoFit } from './ui/photo-view';
import { startPwa } from './ui/pwa';
import { exposeTestHooks } from './ui/test-hooks';
import type { Recognition } from './worker/contract';
import { MARKS, markCorrectionsTaken, markPadReady, markRecognizerReady, measurePictureRead, measureRead } from './ui/perf-marks';

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
  onDigitActivated: (index, card) => offerCorrection(index, card),
};
const padFrame = document.querySelector<HTMLElement>('.pad-frame')!;
const canvas = byTestId<HTMLCanvasElement>('pad');
const photoCanvas = document.querySelector<HTMLCanvasElement>('.photo-view')!;
const imageInput = byTestId<HTMLInputElement>('image-input');

/** The picture shown in the pad's place while there is one (the pad's ink is kept underneath). */
let picture: { bitmap: ImageBitmap; fit: PhotoFit; shown?: Recognition; chosenAt: number; decodedAt: number } | undefined;
/** A message to show once the ink's reading is back (why a picture could not be read). */
let notice: string | undefined;

let inkVersion = 0;
let penDown = false;
let readTimer: ReturnType<typeof setTimeout> | undefined;
let settleTimer: ReturnType<typeof setTimeout> | undefined;
/** When the pen last lifted (performance.now()). */
let lastPenUp = -Infinity;
let workerReady = false;
let loadFailed = false;
/** The reading shown and the ink it belongs to (its digits are what a person may correct). */
let shown: { recognition: ShownRecognition; version: number } | undefined;

const bridge = new RecognizerBridge(new URL('model/model.json', document.baseURI).href, {
  // Every start, a restart after a crash included: the ink (or picture) is read again here, once,
  // after the corrections, so the first reading of a new worker is already the person's.
  onReady(ready) {
    markRecognizerReady(ready);
    loadFailed = false;
    // The person's corrections first, so that the first reading is already theirs; reading goes on without them if they fail.
    void handwriting
      .sendToWorker()
      .catch((error: unknown) => {
        console.warn('Corrections not given to the reader:', error);
        return null;
      })
      .then((report) => {
        markCorrectionsTaken(report);
        workerReady = true;
        scheduleRead(0);
      });
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
const handwriting = new Handwriting(bridge, {
  open: byTestId<HTMLButtonElement>('handwriting'),
  dialog: byTestId<HTMLDialogElement>('handwriting-panel'),
  count: byTestId('corrections-count'),
  status: byTestId('handwriting-status'),
  exportButton: byTestId<HTMLButtonElement>('export-corrections'),
  importInput: byTestId<HTMLInputElement>('import-corrections'),
  forgetButton: byTestId<HTMLButtonElement>('forget-corrections'),
});
const correctionMenu = createCorrectionMenu();
const startRecognizer = () => void bridge.start().catch(() => undefined); // Errors reach the UI through onError.
// A page under the service worker gets every file from its cache: no download competes with the
// first paint, and the worker runs on its own thread, so it starts before the pad is even set up.
const startedEarly = navigator.serviceWorker?.controller != null;
if (startedEarly) startRecognizer();

const pad = createDrawingPad(canvas, {
  onStrokeStart() {
    leavePicture(); // Writing on the pad takes it back from a picture.
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
  if (picture) return readPicture();
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
    showNotice();
    setBusy(view, false);
    return;
  }
  try {
    const { image, origin } = pad.snapshot();
    const posted = performance.now();
    const recognition = await bridge.recognize(image);
    if (!recognition || version !== inkVersion || penDown) return; // Newer ink is on its way.
    const answered = performance.now();
    shown = { recognition: placeOnPad(recognition, origin), version };
    showRecognition(view, shown.recognition);
    showNotice();
    markProvisional(answered);
    setBusy(view, false);
    measureRead({ start, posted, answered, shown: performance.now() }, recognition.timings, recognition.digits.length, recognition.lattice);
  } catch (error) {
    if (version !== inkVersion) return;
    setBusy(view, false);
    setStatus(view, `Could not read the ink: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

/** Remembers a reading just shown, so its digits can be corrected while the ink stays as it is. */
function rememberShown(recognition: ShownRecognition, version: number): void {
  shown = { recognition, version };
}

/** Opens the corrections for digit `index` of the reading shown (a card of a reading being replaced does nothing). */
function offerCorrection(index: number, card: HTMLButtonElement): void {
  const current = shown;
  if (!current || current.version !== inkVersion || penDown) return;
  const digit = current.recognition.digits[index];
  if (!digit) return;
  correctionMenu.open({
    title: `Digit ${index + 1} is…`,
    current: digit.digit,
    onPick: (label) => applyCorrection(index, label),
    returnFocusTo: () => (card.isConnected ? card : digitCard(view, index)),
  });
}

/**
 * Shows the reading with the digit corrected at once (busy until it is shown, as for ink), then
 * keeps the correction and has the worker learn it; the status says how that went.
 */
function applyCorrection(index: number, label: CorrectionLabel): void {
  const current = shown;
  if (!current || current.version !== inkVersion) return;
  setBusy(view, true);
  const corrected = correctDigit(current.recognition, index, label);
  shown = { recognition: corrected, version: current.version };
  if (picture?.shown) picture.shown = correctDigit(picture.shown, index, label);
  const said = label === 'none' ? 'not a digit' : String(label);
  showRecognition(view, corrected, `Corrected to ${said}; learning it…`);
  setBusy(view, false);
  digitCard(view, index)?.focus();
  const crop = current.recognition.digits[index].crop;
  void handwriting.correct(crop, label).then((outcome) => {
    if (outcome.report) performance.mark(MARKS.learned, { detail: outcome.report });
    if (shown?.recognition !== corrected) return; // Newer ink: its own status is shown.
    if (!outcome.learned) setStatus(view, `Corrected to ${said}. ${outcome.problem ?? ''}`, true);
    else if (!outcome.kept) setStatus(view, `Learned: ink like this reads ${said} — for this session only (this browser keeps nothing for Digitpad).`);
    else setStatus(view, `Learned: ink like this now reads ${said}.`);
  });
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

/** Shows the pending notice (a picture that could not be read) in place of the ink's hint. */
function showNotice(): void {
  if (notice === undefined) return;
  setStatus(view, notice, true);
  notice = undefined;
}

/**
 * Reads an image file (chosen, pasted or dropped): decoded at a bounded size, shown fitted in the
 * pad's place, read by the worker. The result is busy from now until the picture's reading (or
 * the message saying why there is none) is shown; a failed picture gives the pad back, ink and all.
 */
async function readImageFile(file: Blob): Promise<void> {
  const chosenAt = performance.now();
  leavePicture();
  inkVersion++; // A reading of the ink still on its way is no longer wanted.
  const version = inkVersion;
  clearTimeout(readTimer);
  setBusy(view, true);
  setStatus(view, 'Reading the image…');
  try {
    const bitmap = await decodeImage(file);
    if (version !== inkVersion) {
      bitmap.close();
      return;
    }
    view.boxes.replaceChildren();
    picture = { bitmap, fit: drawPhoto(photoCanvas, bitmap), chosenAt, decodedAt: performance.now() };
    padFrame.classList.add('has-photo');
    scheduleRead(0);
  } catch (error) {
    if (version === inkVersion) pictureFailed(error);
  }
}

async function readPicture(): Promise<void> {
  const shown = picture;
  const version = inkVersion;
  if (!shown) return;
  if (!workerReady) {
    if (loadFailed) setBusy(view, false);
    return;
  }
  try {
    // Pixels made afresh for each reading: they are transferred to the worker, and a restarted
    // worker needs them again.
    const recognition = await bridge.recognizeImage(bitmapPixels(shown.bitmap));
    if (!recognition || version !== inkVersion || picture !== shown) return;
    if (recognition.digits.length === 0) {
      pictureFailed(new ImageReadError('No digits found in this image.'));
      return;
    }
    const firstReading = !shown.shown;
    shown.shown = recognition;
    showRecognition(view, placeOnPhoto(recognition, shown.fit));
    rememberShown(placeOnPhoto(recognition, shown.fit), version);
    setBusy(view, false);
    if (firstReading) measurePictureRead(shown.chosenAt, shown.decodedAt, performance.now(), shown.bitmap, recognition.digits.length);
  } catch (error) {
    if (version !== inkVersion || picture !== shown) return;
    // A crashed worker is restarted and the picture read again (onReady); the picture stays.
    if (error instanceof RecognizerStoppedError) setStatus(view, 'The reader stopped; reading the image again…');
    else pictureFailed(error);
  }
}

/** Gives the pad back after a picture that could not be read, and says why once its ink is read. */
function pictureFailed(error: unknown): void {
  leavePicture();
  const message = error instanceof Error ? error.message : String(error);
  notice = message === 'No digits found in this image.' ? message : `Could not read this image: ${message}`;
  inkVersion++;
  scheduleRead(0);
}

/** Hides the picture, if one is shown; the pad's ink shows again (read it with scheduleRead). */
function leavePicture(): void {
  if (!picture) return;
  picture.bitmap.close();
  picture = undefined;
  hidePhoto(photoCanvas);
  padFrame.classList.remove('has-photo');
  view.boxes.replaceChildren();
}

/** Boxes come back in the picture's pixels; the view draws them where the picture is shown. */
function placeOnPhoto(recognition: Recognition, fit: PhotoFit): Recognition {
  return { ...recognition, digits: recognition.digits.map((digit) => ({ ...digit, box: placeBox(digit.box, fit) })) };
}

/** Clear and Escape: the pad empty, the picture gone (clearing always announces a change, so the reading resets). */
function clearAll(): void {
  leavePicture();
  pad.clear();
}

/** Undo with a picture shown puts the pad back as it was before the picture. */
function undo(): void {
  if (picture) {
    leavePicture();
    inkVersion++;
    scheduleRead(0);
  } else pad.undo();
}

/** The first image file among `files`, or any file (so a wrong one gets its message). */
function firstImage(files: FileList | null | undefined): File | undefined {
  const all = [...(files ?? [])];
  return all.find((f) => f.type.startsWith('image/')) ?? all[0];
}

byTestId('clear').addEventListener('click', clearAll);
byTestId('undo').addEventListener('click', undo);
byTestId('recognize').addEventListener('click', () => scheduleRead(0));
imageInput.addEventListener('change', () => {
  const file = imageInput.files?.[0];
  imageInput.value = ''; // Choosing the same file again reads it again.
  if (file) void readImageFile(file);
});
document.addEventListener('paste', (event) => {
  const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
  if (!file) return; // Text pasted into nothing: nothing to do.
  event.preventDefault();
  void readImageFile(file);
});
padFrame.addEventListener('dragover', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return;
  event.preventDefault(); // Allows the drop.
  event.dataTransfer.dropEffect = 'copy';
});
padFrame.addEventListener('drop', (event) => {
  const file = firstImage(event.dataTransfer?.files);
  if (!file) return;
  event.preventDefault(); // The browser would open the file in place of the app.
  void readImageFile(file);
});
// The picture is refitted when the pad changes size (a rotated phone, a resized window).
new ResizeObserver(() => {
  if (!picture) return;
  picture.fit = drawPhoto(photoCanvas, picture.bitmap);
  if (picture.shown) showRecognition(view, placeOnPhoto(picture.shown, picture.fit));
}).observe(padFrame);
document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
    event.preventDefault();
    undo();
  } else if (event.key === 'Escape' && !(event.target instanceof Element && event.target.closest('dialog, [popover]'))) {
    // Escape in the corrections menu or the handwriting panel closes that, not the pad.
    clearAll();
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
